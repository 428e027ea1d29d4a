/** JSON Schema (draft 2020-12 subset understood by ajv) of DOCTOR_CATALOGUE. */
export const CATALOGUE_SCHEMA = {
  $id: 'https://lkdiag.dev/schemas/doctor-catalogue.json',
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'code', 'ecosystem', 'package', 'affected', 'fixedIn', 'severity', 'title', 'symptom', 'fix', 'references'],
    properties: {
      id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
      code: { type: 'string', pattern: '^deps/[a-z0-9]+(-[a-z0-9]+)*$' },
      ecosystem: { enum: ['python', 'node', 'swift', 'android', 'server'] },
      package: { type: 'string', minLength: 1 },
      affected: { type: 'string', minLength: 1 },
      fixedIn: { anyOf: [{ type: 'string', pattern: '^\\d+(\\.\\d+)*$' }, { type: 'null' }] },
      severity: { enum: ['error', 'warning', 'info'] },
      escalateWithPreconnectClients: { type: 'boolean' },
      requires: {
        type: 'object',
        additionalProperties: false,
        required: ['ecosystem', 'package', 'range'],
        properties: {
          ecosystem: { enum: ['python', 'node', 'swift', 'android', 'server'] },
          package: { type: 'string' },
          range: { type: 'string' },
        },
      },
      trapSpecs: { type: 'array', items: { type: 'string' } },
      title: { type: 'string', minLength: 10 },
      symptom: { type: 'string', minLength: 20 },
      fix: { type: 'string', minLength: 10 },
      references: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['repo', 'kind', 'ref'],
          properties: {
            repo: { type: 'string', minLength: 3 },
            kind: { enum: ['pr', 'issue', 'commit', 'release', 'registry', 'source'] },
            ref: { type: 'string', minLength: 1 },
            note: { type: 'string' },
          },
        },
      },
    },
  },
} as const;
