package main

import (
	"context"

	descriptor "ocm.software/open-component-model/bindings/go/descriptor/runtime"
	signingv1 "ocm.software/open-component-model/bindings/go/plugin/manager/contracts/signing/v1"
	"ocm.software/open-component-model/bindings/go/runtime"
	"ocm.software/open-component-model/bindings/go/signing"
)

// signingEndpoints reach signingHandler plugins through
// SigningRegistry.GetPlugin(config).
var signingEndpoints = map[string]endpointFunc{
	"signerIdentity": op(func(ctx context.Context, e *callEnv, req *signingv1.GetSignerIdentityRequest[*runtime.Raw]) (any, error) {
		h, cfg, digest, err := signer(ctx, e, &req.SignRequest)
		if err != nil {
			return nil, err
		}
		return keyed("identity")(h.GetSigningCredentialConsumerIdentity(ctx, req.Name, *digest, cfg))
	}),
	"sign": op(func(ctx context.Context, e *callEnv, req *signingv1.SignRequest[*runtime.Raw]) (any, error) {
		h, cfg, digest, err := signer(ctx, e, req)
		if err != nil {
			return nil, err
		}
		info, err := h.Sign(ctx, *digest, cfg, e.credentials)
		if err != nil {
			return nil, err
		}
		return keyed("signature")(descriptor.ConvertToV2SignatureInfo(&info), nil)
	}),
	"verifierIdentity": op(func(ctx context.Context, e *callEnv, req *signingv1.GetVerifierIdentityRequest[*runtime.Raw]) (any, error) {
		h, cfg, signature, err := verifier(ctx, e, &req.VerifyRequest)
		if err != nil {
			return nil, err
		}
		return keyed("identity")(h.GetVerifyingCredentialConsumerIdentity(ctx, *signature, cfg))
	}),
	"verify": op(func(ctx context.Context, e *callEnv, req *signingv1.VerifyRequest[*runtime.Raw]) (any, error) {
		h, cfg, signature, err := verifier(ctx, e, req)
		if err != nil {
			return nil, err
		}
		return keyed("verified")(true, h.Verify(ctx, *signature, cfg, e.credentials))
	}),
}

// signer checks a sign request and looks its plugin up by the signer spec.
func signer(ctx context.Context, e *callEnv, req *signingv1.SignRequest[*runtime.Raw]) (signing.Handler, *runtime.Raw, *descriptor.Digest, error) {
	cfg, err := spec("config", req.Config)
	if err != nil {
		return nil, nil, nil, err
	}
	if req.Digest == nil {
		return nil, nil, nil, usagef("request: digest is missing")
	}
	h, err := e.pm.SigningRegistry.GetPlugin(ctx, cfg)
	return h, cfg, descriptor.ConvertFromV2Digest(req.Digest), err
}

// verifier checks a verify request and looks its plugin up by the verifier spec.
func verifier(ctx context.Context, e *callEnv, req *signingv1.VerifyRequest[*runtime.Raw]) (signing.Handler, *runtime.Raw, *descriptor.Signature, error) {
	cfg, err := spec("config", req.Config)
	if err != nil {
		return nil, nil, nil, err
	}
	if req.Signature == nil {
		return nil, nil, nil, usagef("request: signature is missing")
	}
	h, err := e.pm.SigningRegistry.GetPlugin(ctx, cfg)
	return h, cfg, descriptor.ConvertFromV2Signature(req.Signature), err
}
