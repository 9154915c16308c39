import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { openApiDocument } from '../shared/views/openapi';
import { json, withErrors } from './http';

let document: Record<string, unknown> | undefined;

/** GET /api/openapi.json: the API described from its zod schemas (browsable at /api/dashboard/docs.html). */
export async function openapi(access: Pick<Access, 'auth'>, request: HttpRequest): Promise<HttpResponseInit> {
    await access.auth.authorize(request, 'viewer');
    document ??= openApiDocument();
    return json(200, document);
}

app.http('openapi', {
    route: 'openapi.json',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest) => openapi(getAccess(), request)),
});
