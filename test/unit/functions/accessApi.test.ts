import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { authLogin } from '../../../src/functions/authLogin';
import { authRefresh } from '../../../src/functions/authRefresh';
import { manageUsers } from '../../../src/functions/manageUsers';
import { hashPassword } from '../../../src/shared/access/passwords';
import type { Role } from '../../../src/shared/access/roles';
import type { User } from '../../../src/shared/access/userStore';
import { auth, invoke, memoryUsers, NOW, tokenFor, tokens } from './support/fakes';

const PASSWORD = 'a long enough password';
async function account(email: string, role: Role, disabled = false): Promise<User> {
    return { email, role, disabled, passwordHash: await hashPassword(PASSWORD), createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() };
}

async function setup() {
    const mem = memoryUsers([await account('root@contoso.com', 'admin'), await account('off@contoso.com', 'operator', true)]);
    const access = { auth, users: mem.store, tokens, emailDomains: ['contoso.com'], now: () => new Date() };
    const users = async (role: Role | null, method: string, email?: string, body?: unknown) =>
        invoke((req) => manageUsers(access, req), {
            method, url: `users${email ? `/${email}` : ''}`, params: email ? { email } : {}, body,
            token: role ? await tokenFor(role, role === 'admin' ? 'root@contoso.com' : undefined) : undefined,
        });
    return { mem, access, users };
}

describe('authLogin', () => {
    it('issues a token for the right password that the API then accepts', async () => {
        const { access } = await setup();
        const res = await invoke((req, ctx) => authLogin(access, req, ctx), { method: 'POST', url: 'auth/login', body: { email: 'Root@Contoso.com', password: PASSWORD } });
        assert.equal(res.status, 200);
        const body = res.json as { token: string; expiresAt: string; user: Record<string, unknown> };
        assert.equal(body.user['role'], 'admin');
        assert.equal(body.user['passwordHash'], undefined, 'the hash never leaves the store');
        assert.equal((await auth.authorize({ headers: new Headers({ authorization: `Bearer ${body.token}` }) }, 'admin')).id, 'root@contoso.com');
    });

    it('answers the same 401 for a wrong password, an unknown account and a disabled one', async () => {
        const { access } = await setup();
        for (const body of [{ email: 'root@contoso.com', password: 'wrong password!' }, { email: 'who@contoso.com', password: PASSWORD }, { email: 'off@contoso.com', password: PASSWORD }]) {
            const res = await invoke((req, ctx) => authLogin(access, req, ctx), { method: 'POST', url: 'auth/login', body });
            assert.equal(res.status, 401);
            assert.equal(res.json['error'], 'wrong e-mail or password');
        }
    });

    it('is off (404) without a token secret', async () => {
        const { access } = await setup();
        const res = await invoke((req, ctx) => authLogin({ ...access, tokens: undefined }, req, ctx), { method: 'POST', url: 'auth/login', body: { email: 'a@b.c', password: 'x' } });
        assert.equal(res.status, 404);
    });
});

describe('authRefresh', () => {
    it('renews a valid token with the account\'s current role, and refuses a disabled account', async () => {
        const { access, mem } = await setup();
        const call = async (email: string, role: Role) => invoke((req) => authRefresh(access, req), { method: 'POST', url: 'auth/refresh', token: await tokenFor(role, email) });
        mem.users.set('root@contoso.com', { ...mem.users.get('root@contoso.com')!, role: 'viewer' });
        const res = await call('root@contoso.com', 'admin');
        assert.equal(res.status, 200);
        assert.equal((await tokens.verify((res.json as { token: string }).token))?.role, 'viewer');
        assert.equal((await call('off@contoso.com', 'operator')).status, 401);
        assert.equal((await invoke((req) => authRefresh(access, req), { method: 'POST', url: 'auth/refresh' })).status, 401);
    });
});

describe('manageUsers', () => {
    it('lets an admin create, list, change and delete accounts', async () => {
        const { users, mem } = await setup();
        const created = await users('admin', 'POST', undefined, { email: 'New@Contoso.com', password: PASSWORD, role: 'viewer', name: 'Nia' });
        assert.equal(created.status, 201);
        assert.equal(created.json['email'], 'new@contoso.com');
        assert.match(mem.users.get('new@contoso.com')!.passwordHash, /^scrypt\$/);
        const listed = (await users('admin', 'GET')).json as { users: { email: string; passwordHash?: string }[] };
        assert.deepEqual(listed.users.map((u) => u.email).sort(), ['new@contoso.com', 'off@contoso.com', 'root@contoso.com']);
        assert.ok(listed.users.every((u) => u.passwordHash === undefined));
        assert.equal((await users('admin', 'PATCH', 'new@contoso.com', { role: 'operator' })).json['role'], 'operator');
        assert.equal((await users('admin', 'DELETE', 'new@contoso.com')).status, 204);
        assert.equal((await users('admin', 'GET', 'new@contoso.com')).status, 404);
    });

    it('refuses every method to operators (403), viewers (403) and callers without a token (401)', async () => {
        const { users } = await setup();
        for (const [method, email, body] of [['GET'], ['POST', undefined, { email: 'x@contoso.com', password: PASSWORD, role: 'admin' }], ['PATCH', 'root@contoso.com', { role: 'viewer' }], ['DELETE', 'root@contoso.com']] as const) {
            assert.equal((await users('operator', method, email, body)).status, 403, `operator ${method}`);
            assert.equal((await users('viewer', method, email, body)).status, 403, `viewer ${method}`);
            assert.equal((await users(null, method, email, body)).status, 401, `anonymous ${method}`);
        }
    });

    it('limits new accounts to the configured domains and validates the input', async () => {
        const { users } = await setup();
        assert.equal((await users('admin', 'POST', undefined, { email: 'x@gmail.com', password: PASSWORD, role: 'viewer' })).status, 403);
        assert.equal((await users('admin', 'POST', undefined, { email: 'not-an-email', password: PASSWORD, role: 'viewer' })).status, 400);
        assert.equal((await users('admin', 'POST', undefined, { email: 'x@contoso.com', password: 'short', role: 'viewer' })).status, 400);
        assert.equal((await users('admin', 'POST', undefined, { email: 'root@contoso.com', password: PASSWORD, role: 'viewer' })).status, 409);
    });

    it('never removes the last enabled admin', async () => {
        const { users } = await setup();
        assert.equal((await users('admin', 'PATCH', 'root@contoso.com', { role: 'operator' })).status, 409);
        assert.equal((await users('admin', 'PATCH', 'root@contoso.com', { disabled: true })).status, 409);
        assert.equal((await users('admin', 'DELETE', 'root@contoso.com')).status, 409);
    });
});
