import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { publicUser } from '../shared/access/userStore';
import { AuthError, ValidationError } from '../shared/errors';
import { json, withErrors } from './http';

/**
 * POST /api/auth/refresh: a fresh token for a still-valid local one, with the account's current role; a
 * disabled or deleted account gets 401. Entra tokens are renewed by the identity platform instead.
 */
export async function authRefresh(access: Pick<Access, 'auth' | 'users' | 'tokens' | 'now'>, request: HttpRequest): Promise<HttpResponseInit> {
    const caller = await access.auth.authenticate(request);
    if (caller.via !== 'local' || !access.tokens) throw new ValidationError('only local sign-in tokens are refreshed here');
    const user = await access.users.get(caller.id);
    if (!user || user.disabled) throw new AuthError('this account no longer exists or is disabled');
    return json(200, { ...(await access.tokens.issue(user, access.now())), user: publicUser(user) });
}

app.http('authRefresh', {
    route: 'auth/refresh',
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest) => authRefresh(getAccess(), request)),
});
