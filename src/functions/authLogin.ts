import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { LoginSchema } from '../shared/access/accounts';
import { burnPasswordCheck, verifyPassword } from '../shared/access/passwords';
import { publicUser } from '../shared/access/userStore';
import { AppError, AuthError, ValidationError } from '../shared/errors';
import { json, readJson, withErrors } from './http';

/** POST /api/auth/login `{email, password}` → a short-lived bearer token for a local account. Anonymous. */
export async function authLogin(access: Pick<Access, 'users' | 'tokens' | 'now'>, request: HttpRequest, ctx: InvocationContext): Promise<HttpResponseInit> {
    if (!access.tokens) throw new AppError(404, 'local sign-in is not enabled here (set AUTH_TOKEN_SECRET)');
    const parsed = LoginSchema.safeParse(await readJson(request, 8 * 1024));
    if (!parsed.success) throw new ValidationError('expected {"email": "...", "password": "..."}');
    const { email, password } = parsed.data;
    const user = await access.users.get(email);
    // One answer and about one cost for every failure, so neither reveals which accounts exist.
    const ok = user ? await verifyPassword(password, user.passwordHash) : (await burnPasswordCheck(password), false);
    if (!user || !ok || user.disabled) {
        ctx.warn(`sign-in refused for ${email}`);
        throw new AuthError('wrong e-mail or password');
    }
    const issued = await access.tokens.issue(user, access.now());
    return json(200, { ...issued, user: publicUser(user) });
}

app.http('authLogin', {
    route: 'auth/login',
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest, ctx: InvocationContext) => authLogin(getAccess(), request, ctx)),
});
