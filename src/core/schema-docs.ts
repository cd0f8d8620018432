import { z } from 'zod';

/** The base of every published schema's `$id`. */
export const SCHEMA_BASE_URL = 'https://bulwark.dev/schema/';

/** One published output: its file under `docs/schema/`, its title and its zod schema. */
export type PublishedSchema = readonly [file: string, title: string, schema: z.ZodType];

/**
 * Ids and descriptions for a module's generated JSON Schemas, kept apart from zod's global registry so
 * that modules cannot clash on ids. `described` attaches metadata to a schema; `field` to a clone of a
 * shared one, so a description stays with its field while the shared schema is still emitted once,
 * as a `$ref`; `publish` turns outputs into JSON Schemas (draft 2020-12) with `$id` and title.
 */
export function schemaDocs(): {
  readonly described: <T extends z.ZodType>(schema: T, meta: z.core.JSONSchemaMeta) => T;
  readonly field: <T extends z.ZodType>(schema: T, description: string) => T;
  readonly toJson: (schema: z.ZodType) => Record<string, unknown>;
  readonly publish: (outputs: readonly PublishedSchema[]) => Record<string, object>;
} {
  const docs = z.registry<z.core.JSONSchemaMeta>();
  const described = <T extends z.ZodType>(schema: T, meta: z.core.JSONSchemaMeta): T => {
    docs.add(schema, meta);
    return schema;
  };
  const toJson = (schema: z.ZodType): Record<string, unknown> =>
    z.toJSONSchema(schema, { metadata: docs, target: 'draft-2020-12' });
  return {
    described,
    field: (schema, description) => described(schema.clone(), { description }),
    toJson,
    publish: (outputs) =>
      Object.fromEntries(
        outputs.map(([file, title, schema]) => {
          const { $schema, ...rest } = toJson(schema);
          return [file, { $schema, $id: `${SCHEMA_BASE_URL}${file}`, title, ...rest }];
        }),
      ),
  };
}
