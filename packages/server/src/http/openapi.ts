import { z } from 'zod';
import type { RouteDefinition } from './router.js';

type Definition = RouteDefinition<
  z.ZodObject<z.ZodRawShape>,
  z.ZodObject<z.ZodRawShape>,
  z.ZodType
>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

function parameters(schema: z.ZodObject<z.ZodRawShape> | undefined, where: 'path' | 'query') {
  if (schema === undefined) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(field as z.ZodType, 'input'),
  }));
}

const SECURITY: Record<string, Record<string, string[]>[]> = {
  public: [],
  user: [{ session: [] }],
  member: [{ session: [] }],
  apiKey: [{ bearer: [] }, { wardenKey: [] }],
};

/**
 * Builds the OpenAPI 3.1 document from the registered route definitions.
 * @example const document = createOpenApiDocument(router.definitions, '0.1.0')
 */
export function createOpenApiDocument(
  definitions: readonly Definition[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const definition of definitions) {
    const path = definition.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(definition.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema === undefined
          ? {}
          : {
              content: {
                [definition.contentType ?? 'application/json']: {
                  schema: jsonSchema(response.schema, 'output'),
                },
              },
            }),
      };
    }
    paths[path] ??= {};
    paths[path][definition.method] = {
      summary: definition.summary,
      tags: [definition.tag],
      security: SECURITY[definition.auth.kind],
      ...(definition.auth.kind === 'member'
        ? { description: `Needs the ${definition.auth.role} role or higher in the organisation.` }
        : definition.auth.kind === 'apiKey'
          ? { description: `Needs an API key with the ${definition.auth.scope} scope.` }
          : {}),
      parameters: [
        ...parameters(definition.params, 'path'),
        ...parameters(definition.query, 'query'),
      ],
      ...(definition.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: jsonSchema(definition.documentedBody ?? definition.body, 'input'),
                },
              },
            },
          }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Warden control plane',
      version,
      description:
        'Ingestion, analytics and state for Warden. Errors are `{ error: { code, message, issues? } }` with the codes in docs/errors.md.',
    },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: '__Host-warden_session' },
        bearer: { type: 'http', scheme: 'bearer' },
        wardenKey: { type: 'apiKey', in: 'header', name: 'X-Warden-Key' },
      },
    },
    paths,
  };
}
