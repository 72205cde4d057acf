import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) of what a zod schema accepts as input.
 * Reused sub-schemas are inlined, so no `$ref` points into a `$defs` that OpenAPI would resolve
 * against the document; refinements and transforms that JSON Schema cannot say are left out (the
 * service still applies them, so the document may accept a little more than the service).
 */
export function requestJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'throw',
  }) as JsonSchema;
  return json;
}

/** Query parameters from an object schema: one per property, required as the schema says. */
export function queryParameters(schema: z.ZodType): Array<{ name: string; in: 'query'; required: boolean; schema: JsonSchema; description?: string }> {
  const json = requestJsonSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property as JsonSchema & { description?: string };
    return { name, in: 'query' as const, required: required.has(name), schema: rest, ...(description ? { description } : {}) };
  });
}
