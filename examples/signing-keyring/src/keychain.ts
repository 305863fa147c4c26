/**
 * The private key from the OS keychain through `@napi-rs/keyring` (a native addon): Secret Service on Linux,
 * Keychain on macOS, Credential Manager on Windows. Every failure says what to do about it.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { Entry } from '@napi-rs/keyring';
import { pluginError } from '@ocm-plugin-kit/sdk';

/** How to put a key where this plugin looks, per platform. */
export function storeHint(service: string, account: string): string {
  const how =
    process.platform === 'darwin'
      ? `security add-generic-password -s '${service}' -a '${account}' -w "$(cat key.pem)"`
      : process.platform === 'win32'
        ? `a generic credential "${account}.${service}" in the Credential Manager holding the PEM text`
        : `secret-tool store --label='ocm signing key' service '${service}' username '${account}' < key.pem`;
  return `store the Ed25519 private key (PKCS#8 PEM, e.g. from \`openssl genpkey -algorithm ed25519 -out key.pem\`) with: ${how}`;
}

/** A keyring failure as a message that says what to do. */
export function explain(err: unknown, service: string, account: string): Error {
  const msg = (err as Error)?.message ?? String(err);
  const where = `OS keychain (service "${service}", account "${account}")`;
  if (
    /Failed to connect to socket|DBUS_SESSION_BUS_ADDRESS|ServiceUnknown|org\.freedesktop\.secrets was not provided|no session bus|Platform failure: DBus/i.test(
      msg,
    )
  ) {
    return pluginError(
      503,
      `cannot reach the ${where}: no Secret Service on the D-Bus session bus (${msg}). Run ocm inside a desktop session with GNOME Keyring or KeePassXC's Secret Service enabled; on a headless machine start one with \`dbus-run-session -- sh\` and then \`printf '<password>' | gnome-keyring-daemon --unlock --components=secrets\``,
    );
  }
  if (/locked|unlock prompt|prompt was dismissed/i.test(msg)) {
    return pluginError(
      423,
      `the ${where} is locked (${msg}). Unlock it and try again: log in to the desktop session, open the keychain once, or on a headless machine run \`printf '<password>' | gnome-keyring-daemon --unlock --components=secrets\``,
    );
  }
  if (/no result found|no default collection/i.test(msg)) {
    return pluginError(
      424,
      `the ${where} has no default collection to read from (${msg}); create and unlock one (\`printf '<password>' | gnome-keyring-daemon --unlock --components=secrets\` creates "login")`,
    );
  }
  return pluginError(500, `cannot read the ${where}: ${msg}`);
}

/** The private key stored under `service`/`account`; throws a 401 naming how to store one when there is none. */
export function privateKeyFromKeychain(service: string, account: string): KeyObject {
  let pem: string | null;
  try {
    pem = new Entry(service, account, { linux: { store: 'secret-service' } }).getPassword();
  } catch (err) {
    throw explain(err, service, account);
  }
  if (pem === null)
    throw pluginError(401, `no private key in the OS keychain under service "${service}", account "${account}": ${storeHint(service, account)}`);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw pluginError(
      400,
      `the OS keychain entry service "${service}", account "${account}" is not a PEM private key (${(err as Error).message}); ${storeHint(service, account)}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw pluginError(
      400,
      `the OS keychain entry service "${service}", account "${account}" holds a ${key.asymmetricKeyType} key, not Ed25519; ${storeHint(service, account)}`,
    );
  }
  return key;
}
