import { z } from 'zod';

/** The signer/verifier spec type this plugin serves. */
export const KEYRING_ED25519 = 'KeyringEd25519.examples.ocmkit.dev/v1';
export const ALGORITHM = 'Ed25519';
export const MEDIA_TYPE = 'application/vnd.ocmkit.signature.ed25519.hex';
/** Keychain service the keys are stored under unless the spec names another. */
export const DEFAULT_SERVICE = 'ocm-keyring-signer';
/** Keychain account the key is stored under unless the spec names another. */
export const DEFAULT_ACCOUNT = 'default';

/**
 * The private key never appears here or in OCM credentials: it is the PEM (PKCS#8) stored in the OS keychain under
 * `service` and `account` (defaults: ocm-keyring-signer, default).
 */
export const KeyringSpec = z
  .object({
    type: z.literal(KEYRING_ED25519),
    service: z.string().min(1).optional(),
    account: z.string().min(1).optional(),
    issuer: z.string().min(1).optional(),
    /** Verify with this PEM public key file instead of the key in the keychain. Relative to the ocm working directory. */
    publicKeyFile: z.string().min(1).optional(),
  })
  .strict();
export type KeyringSpec = z.output<typeof KeyringSpec>;
