import type { X509Certificate } from 'node:crypto';
import { preAuthEncoding } from '../../core/dsse.js';
import { BulwarkError } from '../../core/errors.js';
import { IN_TOTO_PAYLOAD_TYPE, OMS_BUNDLE_MEDIA_TYPES } from './bundle-schema.js';
import type { OmsBundle } from './bundle-schema.js';
import { OMS_KEY_DETAILS, describeOmsKey } from './oms-keys.js';
import type { OmsSigner } from './oms-keys.js';

/** Options for {@link signStatement}. */
export interface SignStatementOptions {
  /**
   * How the bundle names the key: `hint` (default) writes `publicKey.hint` = hex SHA-256 of the SPKI
   * PEM as the reference v1.1 does; `rawBytes` writes the PEM text with `keyDetails`, as v0.3–v1.0 did.
   */
  readonly publicKeyForm?: 'hint' | 'rawBytes';
  /**
   * Signs with the certificate method instead: the chain, leaf (whose key must be the signer's) first,
   * then intermediates, as DER. The verifier needs the CA that issued the last one.
   */
  readonly certificateChain?: readonly X509Certificate[];
}

/**
 * Signs in-toto Statement bytes (kept exactly as given) into an OMS bundle with the key method: a
 * Sigstore bundle v0.3 holding a DSSE envelope, no transparency log entries. P-256, P-384 and P-521
 * sign with SHA-256/384/512, Ed25519 with itself. Throws `KEY_INVALID` for an unsupported key.
 */
export function signStatement(
  payload: Uint8Array,
  signer: OmsSigner,
  options: SignStatementOptions = {},
): OmsBundle {
  const key = describeOmsKey(signer.publicKey);
  if (key === undefined) {
    throw new BulwarkError('KEY_INVALID', 'OMS signing needs a P-256, P-384, P-521 or Ed25519 key');
  }
  const chain = options.certificateChain;
  const leaf = chain?.[0];
  if (chain !== undefined && (leaf === undefined || !leafHoldsKey(leaf, key.keyId))) {
    throw new BulwarkError(
      'KEY_INVALID',
      leaf === undefined
        ? 'the certificate chain is empty'
        : "the first certificate of the chain does not hold the signing key's public key",
    );
  }
  const signature = signer.sign(preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload));
  const pem = signer.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const publicKey =
    options.publicKeyForm === 'rawBytes'
      ? { rawBytes: Buffer.from(pem, 'utf8').toString('base64'), keyDetails: OMS_KEY_DETAILS[key.algorithm] }
      : { hint: key.hint };
  const material =
    chain === undefined
      ? { publicKey }
      : {
          x509CertificateChain: { certificates: chain.map((c) => ({ rawBytes: c.raw.toString('base64') })) },
        };
  return {
    mediaType: OMS_BUNDLE_MEDIA_TYPES[0],
    verificationMaterial: { ...material, tlogEntries: [] },
    dsseEnvelope: {
      payload: Buffer.from(payload).toString('base64'),
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ sig: Buffer.from(signature).toString('base64'), keyid: '' }],
    },
  };
}

/** Serializes a bundle as the reference implementation writes `model.sig`: JSON, no indentation. */
export function serializeBundle(bundle: OmsBundle): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.stringify(bundle), 'utf8'));
}

function leafHoldsKey(leaf: X509Certificate, keyId: string): boolean {
  return describeOmsKey(leaf.publicKey)?.keyId === keyId;
}
