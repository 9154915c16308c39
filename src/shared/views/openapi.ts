import type { z } from 'zod';

import { MetricsQuerySchema } from './metricsQuery';
import { COMPONENTS, jsonSchema } from './openapiSchemas';
import { TicketFilterSchema, TicketListQuerySchema } from './ticketQuery';

type Json = Record<string, unknown>;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (name: string, required = true) => ({ required, content: { 'application/json': { schema: ref(name) } } });
const answer = (description: string, name?: string, type = 'application/json') =>
    ({ description, ...(name ? { content: { [type]: { schema: name === 'text' ? { type: 'string' } : ref(name) } } } : {}) });
const ERRORS = {
    400: answer('bad request', 'Error'), 401: answer('no valid token', 'Error'), 403: answer('the role does not allow this', 'Error'),
};

function queryParams(schema: z.ZodObject): Json[] {
    return Object.entries(schema.shape).map(([name, field]) => {
        const s = jsonSchema(field as z.ZodType, 'input');
        const { description, ...rest } = s;
        return { name, in: 'query', required: !(field as z.ZodType).safeParse(undefined).success, schema: rest, ...(description ? { description } : {}) };
    });
}
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });

function op(tag: string, summary: string, role: string | null, extra: Json & { responses: Json }): Json {
    return {
        tags: [tag], summary: role ? `${summary} (${role} and up)` : summary,
        ...(role ? { security: [{ bearer: [] }] } : { security: [] }),
        ...extra, responses: { ...extra.responses, ...(role ? ERRORS : {}) },
    };
}

function action(name: string, bodyName: string, event: string): Json {
    return {
        post: op('Tickets', `${name[0]!.toUpperCase()}${name.slice(1)}: raises the durable event "${event}", audited with the user`, 'operator', {
            parameters: [pathParam('id', 'ticket id')], requestBody: body(bodyName, name === 'close'),
            responses: { 202: answer('event raised', 'ActionAccepted'), 404: answer('no such ticket', 'Error'), 409: answer('the ticket does not accept this now', 'Error') },
        }),
    };
}

/** The OpenAPI 3.1 document of the API, generated from the same zod schemas the handlers parse with. */
export function openApiDocument(): Json {
    const webhook = (summary: string) => ({
        post: { tags: ['Webhooks'], summary, security: [{ functionKey: [] }, { functionKeyHeader: [] }],
            requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
            responses: { 202: answer('accepted'), 200: answer('ignored'), 400: answer('malformed', 'Error'), 401: answer('no function key') } },
    });
    return {
        openapi: '3.1.0',
        info: { title: 'Pipeline Autoheal API', version: '1.0.0', description: 'Tickets, actions, metrics and access for auto-remediated ADF and Databricks failures.' },
        servers: [{ url: '/api' }],
        security: [{ bearer: [] }],
        paths: {
            '/auth/login': { post: op('Access', 'Sign in with a local account', null, { requestBody: body('LoginBody'), responses: { 200: answer('signed in', 'Session'), 401: answer('wrong e-mail or password', 'Error') } }) },
            '/auth/refresh': { post: op('Access', 'A fresh token for a valid local token', 'viewer', { responses: { 200: answer('signed in', 'Session') } }) },
            '/users': {
                get: op('Access', 'List local accounts', 'admin', { responses: { 200: answer('accounts', 'UserList') } }),
                post: op('Access', 'Create a local account (configured e-mail domains only)', 'admin', { requestBody: body('NewUser'), responses: { 201: answer('created', 'User'), 409: answer('exists', 'Error') } }),
            },
            '/users/{email}': {
                get: op('Access', 'One local account', 'admin', { parameters: [pathParam('email', 'e-mail address')], responses: { 200: answer('account', 'User'), 404: answer('none', 'Error') } }),
                patch: op('Access', 'Change role, name, password or disabled', 'admin', { parameters: [pathParam('email', 'e-mail address')], requestBody: body('UserPatch'), responses: { 200: answer('changed', 'User'), 409: answer('last admin', 'Error') } }),
                delete: op('Access', 'Delete a local account', 'admin', { parameters: [pathParam('email', 'e-mail address')], responses: { 204: answer('deleted'), 409: answer('last admin', 'Error') } }),
            },
            '/tickets': { get: op('Tickets', 'Filtered, time-sorted tickets, paged by continuation token', 'viewer', { parameters: queryParams(TicketListQuerySchema), responses: { 200: answer('one page', 'TicketPage') } }) },
            '/tickets/{id}': { get: op('Tickets', 'A ticket with its whole timeline', 'viewer', { parameters: [pathParam('id', 'ticket id')], responses: { 200: answer('the ticket', 'TicketDetail'), 404: answer('no such ticket', 'Error') } }) },
            '/tickets/{id}/approve': action('approve', 'ApproveBody', 'approval'),
            '/tickets/{id}/reject': action('reject', 'RejectBody', 'approval'),
            '/tickets/{id}/retry': action('retry', 'RetryBody', 'retry'),
            '/tickets/{id}/close': action('close', 'CloseBody', 'close'),
            '/export/tickets': { get: op('Export', 'The filtered tickets as CSV', 'viewer', { parameters: queryParams(TicketFilterSchema), responses: { 200: answer('CSV', 'text', 'text/csv') } }) },
            '/export/audit': { get: op('Export', 'The audit trail of the filtered tickets as CSV', 'viewer', { parameters: queryParams(TicketFilterSchema), responses: { 200: answer('CSV', 'text', 'text/csv') } }) },
            '/metrics': { get: { ...op('Metrics', 'MTTR, auto-heal rate, escalations and attempts (JSON, or Prometheus text)', 'viewer', { parameters: queryParams(MetricsQuerySchema), responses: { 200: { description: 'metrics', content: { 'application/json': { schema: ref('Metrics') }, 'text/plain': { schema: { type: 'string' } } } } } }), security: [{ bearer: [] }, { scrapeKey: [] }] } },
            '/negotiate': { get: op('Live', 'A Web PubSub client URL for your role group (receive only)', 'viewer', { responses: { 200: answer('client URL', 'ClientUrl') } }) },
            '/settings': { get: op('Access', 'The effective non-secret settings', 'admin', { responses: { 200: answer('settings') } }) },
            '/openapi.json': { get: op('Docs', 'This document', 'viewer', { responses: { 200: answer('OpenAPI 3.1') } }) },
            '/health': { get: op('Docs', 'Liveness', null, { responses: { 200: answer('ok') } }) },
            '/alerts/azure-monitor': webhook('Azure Monitor action group webhook (common alert schema)'),
            '/alerts/databricks': webhook('Databricks notification destination webhook'),
        },
        components: {
            securitySchemes: {
                bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'from POST /auth/login, or a Microsoft Entra ID access token' },
                scrapeKey: { type: 'http', scheme: 'bearer', description: 'METRICS_SCRAPE_KEY, for /metrics only' },
                functionKey: { type: 'apiKey', in: 'query', name: 'code' },
                functionKeyHeader: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
            },
            schemas: Object.fromEntries(Object.entries(COMPONENTS).map(([name, schema]) => [name, jsonSchema(schema, name.endsWith('Body') || name === 'NewUser' || name === 'UserPatch' ? 'input' : 'output')])),
        },
    };
}
