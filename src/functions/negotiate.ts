import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { roleGroup } from '../shared/access/roles';
import { type Deps, getDeps } from '../shared/deps';
import { UnavailableError } from '../shared/errors';
import { json, withErrors } from './http';

const MAX_MINUTES = 60;

/**
 * GET /api/negotiate: a Web PubSub client URL for the signed-in user only: joined to their role's group, with
 * no send rights, and valid no longer than their own token (never cached or shared).
 */
export async function negotiate(deps: Pick<Deps, 'broadcaster' | 'now'>, access: Pick<Access, 'auth'>, request: HttpRequest): Promise<HttpResponseInit> {
    const user = await access.auth.authorize(request, 'viewer');
    const left = user.expiresAt ? Math.floor((Date.parse(user.expiresAt) - deps.now().getTime()) / 60_000) : MAX_MINUTES;
    const minutes = Math.max(1, Math.min(MAX_MINUTES, left));
    try {
        return json(200, await deps.broadcaster.clientUrl(user.id, { groups: [roleGroup(user.role)], minutes }));
    } catch (e) {
        throw new UnavailableError(`live updates unavailable: ${(e as Error).message}`);
    }
}

app.http('negotiate', {
    route: 'negotiate',
    methods: ['GET', 'POST'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest) => negotiate(getDeps(), getAccess(), request)),
});
