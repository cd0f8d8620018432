import { Ajv2020 } from 'ajv/dist/2020.js';
import { join } from 'node:path';

/** Root of the OMS conformance data shared by the team. */
export const OMS_DATA = '/work/shared/data/oms';

/** The reference implementation's signed sample models. */
export const SAMPLE_MODELS = join(OMS_DATA, 'model-transparency/scripts/tests');

/** The test keys and certificates of the sample models. */
export const SAMPLE_KEYS = join(SAMPLE_MODELS, 'keys/certificate');

/** The OMS v1.0 test vectors. */
export const TEST_VECTORS = join(OMS_DATA, 'model-signing-spec/test-vectors/v1.0');

/** The OMS v1.0 JSON schemas. */
export const SCHEMAS = join(OMS_DATA, 'model-signing-spec/schemas/v1.0');

/** The two node:fs functions the fixtures need; tests pass node:fs itself (engines stay fs-free). */
export interface FixtureFs {
  readFileSync(path: string): Uint8Array;
  readdirSync(path: string): string[];
}

/** Readers of the conformance data, built on the given file system. */
export interface OmsFixtures {
  /** Reads a file as bytes. */
  readonly readBytes: (path: string) => Uint8Array;
  /** Reads a sample key or certificate file as text. */
  readonly readKey: (name: string) => string;
  /** Lists the sample model directories whose name ends with the given method suffix. */
  readonly sampleModels: (suffix: '-elliptic-key' | '-certificate' | '-sigstore') => string[];
  /** Validators for the OMS v1.0 JSON schemas. */
  readonly schemas: () => OmsSchemaValidators;
}

/** Builds the fixture readers over a file system (node:fs in tests). */
export function omsFixtures(fs: FixtureFs): OmsFixtures {
  const readBytes = (path: string): Uint8Array => new Uint8Array(fs.readFileSync(path));
  const readText = (path: string): string => new TextDecoder().decode(readBytes(path));
  return {
    readBytes,
    readKey: (name) => readText(join(SAMPLE_KEYS, name)),
    sampleModels: (suffix) =>
      fs
        .readdirSync(SAMPLE_MODELS)
        .filter((name) => name.endsWith(suffix))
        .sort(),
    schemas: () =>
      omsSchemaValidators(
        ['predicate', 'statement', 'envelope', 'bundle'].map(
          (name) => JSON.parse(readText(join(SCHEMAS, `${name}.schema.json`))) as unknown,
        ),
      ),
  };
}

/** Validators for the OMS v1.0 JSON schemas, loaded into one draft 2020-12 registry by `$id`. */
export interface OmsSchemaValidators {
  /** Validates a whole bundle (bundle.schema.json); returns the error messages, empty when valid. */
  readonly bundle: (value: unknown) => string[];
  /** Validates a decoded DSSE payload (statement.schema.json); returns the error messages. */
  readonly statement: (value: unknown) => string[];
}

/** Builds validators for the OMS v1.0 JSON schemas with ajv. */
export function omsSchemaValidators(schemaDocuments: readonly unknown[]): OmsSchemaValidators {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const ids: Record<string, string> = {};
  for (const document of schemaDocuments) {
    const schema = document as { $id: string };
    ajv.addSchema(schema);
    const name = /\/([a-z]+)\/v1\.0\/schema$/.exec(schema.$id)?.[1];
    if (name) ids[name] = schema.$id;
  }
  const run = (name: string) => (value: unknown) => {
    const validate = ajv.getSchema(ids[name] ?? '');
    if (validate === undefined) throw new Error(`schema ${name} not loaded`);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
  return { bundle: run('bundle'), statement: run('statement') };
}

export { seededRandom as prng } from '../../../test/support/seeded-random.js';
