import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { assertDomainAllowed, NewUserSchema, UserPatchSchema } from '../shared/access/accounts';
import { hashPassword } from '../shared/access/passwords';
import { normaliseEmail, publicUser, type User } from '../shared/access/userStore';
import { ConflictError, NotFoundHttpError, ValidationError } from '../shared/errors';
import { json, readJson, withErrors } from './http';

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    throw new ValidationError(`bad body: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
}

/** An admin may not remove the last enabled admin (nobody could manage users afterwards). */
async function assertAnotherAdmin(access: Pick<Access, 'users'>, email: string): Promise<void> {
    const admins = (await access.users.list()).filter((u) => u.role === 'admin' && !u.disabled && u.email !== email);
    if (admins.length === 0) throw new ConflictError('this is the last enabled admin; make another admin first');
}

/** /api/users[/{email}]: list (GET), create (POST), change (PATCH), delete (DELETE) local accounts. Admins only. */
export async function manageUsers(access: Pick<Access, 'auth' | 'users' | 'emailDomains' | 'now'>, request: HttpRequest): Promise<HttpResponseInit> {
    const admin = await access.auth.authorize(request, 'admin');
    const target = request.params['email'] ? normaliseEmail(request.params['email']) : undefined;
    const at = access.now().toISOString();
    const existing = target ? await access.users.get(target) : undefined;
    if (target && !existing && request.method !== 'POST') throw new NotFoundHttpError(`no account ${target}`);

    switch (request.method) {
        case 'GET':
            return json(200, existing ? publicUser(existing) : { users: (await access.users.list()).map(publicUser) });
        case 'POST': {
            if (target) throw new ValidationError('POST /api/users with the account in the body');
            const input = parse(NewUserSchema, await readJson(request, 8 * 1024));
            assertDomainAllowed(input.email, access.emailDomains);
            const user: User = {
                email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password),
                disabled: false, createdAt: at, updatedAt: at, createdBy: admin.email ?? admin.id,
            };
            await access.users.create(user);
            return json(201, publicUser(user));
        }
        case 'PATCH': {
            if (!existing) throw new ValidationError('PATCH /api/users/{email}');
            const patch = parse(UserPatchSchema, await readJson(request, 8 * 1024));
            const demoted = (patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true;
            if (existing.role === 'admin' && demoted) await assertAnotherAdmin(access, existing.email);
            const { password, ...fields } = patch;
            const user: User = { ...existing, ...fields, updatedAt: at, ...(password ? { passwordHash: await hashPassword(password) } : {}) };
            await access.users.replace(user);
            return json(200, publicUser(user));
        }
        case 'DELETE':
            if (!existing) throw new ValidationError('DELETE /api/users/{email}');
            if (existing.role === 'admin') await assertAnotherAdmin(access, existing.email);
            await access.users.delete(existing.email);
            return { status: 204 };
        default:
            return json(405, { error: 'method not allowed' });
    }
}

app.http('manageUsers', {
    route: 'users/{email?}',
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest) => manageUsers(getAccess(), request)),
});
