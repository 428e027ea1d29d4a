/**
 * JSON Schema (draft-07, checked with ajv) of a drive script: `{ turns: Step[] }`, each step an object
 * with exactly one action key (or the string `hangup`). docs/drive.md documents it.
 */
const wav = { type: 'string', minLength: 1, description: 'a WAV file, relative to the script' } as const;
const ms = (max: number) => ({ type: 'integer', minimum: 0, maximum: max }) as const;

export const DRIVE_SCRIPT_SCHEMA = {
  $id: 'https://lkdiag.dev/schemas/drive-script.schema.json',
  type: 'object',
  additionalProperties: false,
  required: ['turns'],
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    reply_timeout_ms: { ...ms(600_000), description: 'bound on each `wait: reply` (default 20000)' },
    turns: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        anyOf: [
          { const: 'hangup' },
          {
            type: 'object',
            minProperties: 1,
            maxProperties: 1,
            additionalProperties: false,
            properties: {
              say: { anyOf: [wav, { type: 'object', additionalProperties: false, required: ['wav'], properties: { wav } }] },
              wait: {
                anyOf: [
                  { enum: ['reply', 'silence'] },
                  {
                    type: 'object',
                    additionalProperties: false,
                    required: ['for'],
                    properties: { for: { enum: ['reply', 'silence'] }, timeout_ms: ms(600_000) },
                  },
                ],
              },
              pause: { anyOf: [ms(600_000), { type: 'object', additionalProperties: false, required: ['ms'], properties: { ms: ms(600_000) } }] },
              barge_in: {
                type: 'object',
                additionalProperties: false,
                required: ['wav', 'after_ms'],
                properties: { wav, after_ms: ms(120_000) },
              },
              noise: {
                type: 'object',
                additionalProperties: false,
                required: ['ms'],
                properties: { ms: ms(600_000), level: { type: 'number', minimum: -90, maximum: 0, description: 'dBFS (default -50)' } },
              },
              hangup: { type: ['boolean', 'null'] },
            },
          },
        ],
      },
    },
  },
} as const;
