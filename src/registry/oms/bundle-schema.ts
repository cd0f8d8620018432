import { z } from 'zod';

/** The Sigstore bundle media types OMS bundles use (bundle v0.3, both spellings Sigstore defines). */
export const OMS_BUNDLE_MEDIA_TYPES = [
  'application/vnd.dev.sigstore.bundle.v0.3+json',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
] as const;

/** The DSSE payload type of an OMS bundle: an in-toto Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** More DSSE signatures than this are refused: each may cost a verification per trusted key. */
export const OMS_MAX_SIGNATURES = 16;

/** More certificates than this in a chain are refused: each costs a signature check. */
export const OMS_MAX_CHAIN_LENGTH = 10;

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

const base64Text = z.string().min(1, 'must be a non-empty base64 string').regex(BASE64, 'must be base64');

const signatureSchema = z.strictObject({
  sig: base64Text,
  keyid: z.string().nullable().optional(),
});

/** Zod schema of the DSSE envelope inside an OMS bundle (OMS envelope.schema.json). */
export const dsseEnvelopeSchema = z.strictObject({
  payload: base64Text,
  payloadType: z.literal(IN_TOTO_PAYLOAD_TYPE, {
    error: `must be "${IN_TOTO_PAYLOAD_TYPE}" (an in-toto Statement)`,
  }),
  signatures: z
    .array(signatureSchema)
    .min(1, 'must hold at least one signature')
    .max(OMS_MAX_SIGNATURES, `must hold at most ${OMS_MAX_SIGNATURES} signatures`),
});

const certificateSchema = z.looseObject({ rawBytes: base64Text });

const publicKeySchema = z
  .looseObject({
    hint: z.string().optional(),
    rawBytes: z.string().regex(BASE64, 'must be base64').optional(),
    keyDetails: z.string().optional(),
  })
  .refine((key) => Boolean(key.hint) || Boolean(key.rawBytes), {
    message: 'must carry a non-empty "hint" or "rawBytes"',
  });

const tlogEntrySchema = z.looseObject({
  logIndex: z.string().optional(),
  integratedTime: z.string().optional(),
  canonicalizedBody: z.string().optional(),
});

/** Zod schema of `verificationMaterial`; which one of the three key fields is present is checked after. */
export const verificationMaterialSchema = z.looseObject({
  publicKey: publicKeySchema.optional(),
  x509CertificateChain: z
    .looseObject({
      certificates: z
        .array(certificateSchema)
        .min(1, 'must hold at least one certificate')
        .max(OMS_MAX_CHAIN_LENGTH, `must hold at most ${OMS_MAX_CHAIN_LENGTH} certificates`),
    })
    .optional(),
  certificate: certificateSchema.optional(),
  tlogEntries: z.array(tlogEntrySchema).max(64, 'must hold at most 64 entries').optional(),
  timestampVerificationData: z.looseObject({}).optional(),
});

/** Zod schema of a whole OMS bundle (Sigstore bundle v0.3 with a DSSE envelope). */
export const bundleSchema = z.strictObject({
  mediaType: z.enum(OMS_BUNDLE_MEDIA_TYPES, {
    error: `must be "${OMS_BUNDLE_MEDIA_TYPES[0]}" (Sigstore bundle v0.3)`,
  }),
  verificationMaterial: verificationMaterialSchema,
  dsseEnvelope: dsseEnvelopeSchema,
});

/** A Sigstore bundle v0.3 holding an OMS DSSE envelope, as parsed (unknown Sigstore fields kept). */
export type OmsBundle = z.infer<typeof bundleSchema>;

/** The DSSE envelope of an OMS bundle. */
export type OmsEnvelope = z.infer<typeof dsseEnvelopeSchema>;

/** The verification material of an OMS bundle. */
export type OmsVerificationMaterial = z.infer<typeof verificationMaterialSchema>;
