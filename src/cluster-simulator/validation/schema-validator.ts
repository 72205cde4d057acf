import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { StatusCause } from '../api-errors.js';
import type { ResourceType } from '../resources.js';
import { loadSchemaFile } from './schema-files.js';
import { loosenCoreScalars, strictCopy } from './strict-schema.js';

type Schema = Record<string, unknown>;
type KubeObject = Record<string, unknown>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const int32 = (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;

/**
 * Checks objects against the published OpenAPI definitions (kubevirt.json, kubernetes-core.json,
 * cdi.json) and CRD schemas (multus-nad.json, kube-ovn.json), the way the API server plus KubeVirt's
 * webhook do: spec strictly (an unknown field is refused), everything else for types only.
 */
export class SchemaValidator {
  private static instance: SchemaValidator | undefined;

  /** One per process: compiling the published schemas takes a while, and they never change. */
  static shared(): SchemaValidator {
    SchemaValidator.instance ??= new SchemaValidator();
    return SchemaValidator.instance;
  }

  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addFormat('int32', { type: 'number', validate: int32 });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat('float', { type: 'number', validate: () => true });
    this.ajv.addFormat('double', { type: 'number', validate: () => true });
    this.ajv.addFormat('int-or-string', () => true);
    for (const file of ['kubevirt', 'kubernetes-core', 'cdi']) {
      let definitions = loadSchemaFile(file).definitions as Schema;
      if (file === 'kubernetes-core') definitions = loosenCoreScalars(definitions);
      this.ajv.addSchema({ $id: `${file}-lenient`, definitions });
      this.ajv.addSchema({ $id: `${file}-strict`, definitions: strictCopy(definitions) });
    }
  }

  /** Every problem with `object` as causes (empty when it is valid). */
  validate(type: ResourceType, object: KubeObject): StatusCause[] {
    const schema = type.schema;
    if (!schema) return [];
    const causes: StatusCause[] = [];
    if (schema.file === 'crd') {
      const root = this.crdSchema(schema.crdFile, schema.plural);
      const properties = (root.properties ?? {}) as Schema;
      if (object.spec !== undefined && properties.spec) {
        causes.push(...this.run(`crd:${schema.plural}:spec:strict`, () => strictCopy(properties.spec as Schema), object.spec, 'spec'));
      }
      if (object.status !== undefined && properties.status) {
        causes.push(...this.run(`crd:${schema.plural}:status`, () => properties.status as Schema, object.status, 'status'));
      }
      causes.push(...this.run(`core:ObjectMeta`, () => ({ $ref: 'kubernetes-core-lenient#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }), object.metadata ?? {}, 'metadata'));
      return dedupe(causes);
    }
    const { file } = schema;
    const withoutStatus = { ...object };
    const status = withoutStatus.status;
    delete withoutStatus.status;
    // Unknown top-level keys and everything outside spec/status: the object definition, strictly at the top.
    const objectDef = (loadSchemaFile(file).definitions as Schema)[schema.object] as Schema;
    const known = Object.keys((objectDef.properties ?? {}) as Schema);
    for (const key of Object.keys(object)) {
      if (!known.includes(key)) causes.push({ reason: 'FieldValueInvalid', message: `${key} in body is a forbidden property`, field: key });
    }
    if (schema.spec) {
      // spec strictly, the rest (metadata, data ...) for types; a missing spec is still "required"
      const rest = { ...withoutStatus };
      delete rest.spec;
      causes.push(...this.run(`${file}-lenient#/definitions/${schema.object}`, null, rest, '', object.spec !== undefined ? ['spec'] : []));
      if (object.spec !== undefined) causes.push(...this.run(`${file}-strict#/definitions/${schema.spec}`, null, object.spec, 'spec'));
    } else {
      causes.push(...this.runStrictTopLevel(file, schema.object, withoutStatus));
    }
    if (status !== undefined) {
      const statusRef = ((objectDef.properties as Schema).status as Schema | undefined)?.$ref as string | undefined;
      if (statusRef) causes.push(...this.run(`${file}-lenient${statusRef}`, null, status, 'status'));
    }
    return dedupe(causes);
  }

  private runStrictTopLevel(file: string, definition: string, object: KubeObject): StatusCause[] {
    return this.run(`${file}-strict#/definitions/${definition}`, null, object, '');
  }

  private crdSchema(crdFile: string, plural: string): Schema {
    const crds = loadSchemaFile(crdFile).crds as Array<{ spec: { names: { plural: string }; versions: Array<{ schema: { openAPIV3Schema: Schema } }> } }>;
    const crd = crds.find((c) => c.spec.names.plural === plural);
    if (!crd) throw new Error(`no CRD for ${plural} in ${crdFile}.json`);
    return crd.spec.versions[0]!.schema.openAPIV3Schema;
  }

  private run(key: string, build: (() => Schema) | null, value: unknown, prefix: string, ignoreRequired: string[] = []): StatusCause[] {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = build ? this.ajv.compile(build()) : this.ajv.getSchema(key);
      if (!validate) throw new Error(`schema ${key} not found`);
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? [])
      .filter((e) => !(e.keyword === 'required' && ignoreRequired.includes((e.params as { missingProperty: string }).missingProperty) && e.instancePath === ''))
      .map((e) => toCause(e, prefix));
  }
}

function fieldPath(prefix: string, instancePath: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = prefix;
  for (const part of parts) path = /^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part;
  return path;
}

function toCause(error: ErrorObject, prefix: string): StatusCause {
  const at = fieldPath(prefix, error.instancePath);
  const join = (name: string) => (at ? `${at}.${name}` : name);
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = join((error.params as { additionalProperty: string }).additionalProperty);
      return { reason: 'FieldValueInvalid', message: `${field} in body is a forbidden property`, field };
    }
    case 'required': {
      const field = join((error.params as { missingProperty: string }).missingProperty);
      return { reason: 'FieldValueRequired', message: `${field} in body is required`, field };
    }
    case 'type':
      return { reason: 'FieldValueTypeInvalid', message: `${at} in body must be of type ${(error.params as { type: string }).type}`, field: at };
    case 'enum':
      return { reason: 'FieldValueNotSupported', message: `${at} in body should be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`, field: at };
    default:
      return { reason: 'FieldValueInvalid', message: `${at} in body ${error.message ?? 'is invalid'}`, field: at };
  }
}

function dedupe(causes: StatusCause[]): StatusCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => (seen.has(c.message) ? false : (seen.add(c.message), true)));
}
