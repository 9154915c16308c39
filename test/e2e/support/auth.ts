import { randomBytes } from 'node:crypto';

import type { Page } from 'playwright-core';

import { getAccess } from '../../../src/shared/access/accessDeps';
import { ensureLocalAdmin } from '../../../src/shared/access/bootstrap';
import type { Role } from '../../../src/shared/access/roles';

export const PASSWORD = 'e2e-password-long-enough';
export const USERS: Record<Role, string> = { admin: 'admin@example.com', operator: 'olga@example.com', viewer: 'vic@example.com' };

/** Settings for a devhost whose API needs tokens: local sign-in on, accounts limited to example.com. */
export function authEnv(): Record<string, string> {
    return { AUTH_TOKEN_SECRET: randomBytes(32).toString('base64url'), AUTH_EMAIL_DOMAINS: 'example.com', LOCAL_ADMIN_EMAIL: USERS.admin };
}

export async function login(baseUrl: string, email: string, password = PASSWORD): Promise<string> {
    const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (res.status !== 200) throw new Error(`login ${email}: HTTP ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
}

/**
 * The first admin as `npm start` creates it (in this process: the devhost runs the app in-process), then an
 * operator and a viewer created through the admin-only user API; returns a token for each.
 */
export async function bootstrapUsers(baseUrl: string): Promise<Record<Role, string>> {
    await ensureLocalAdmin(getAccess().users, { email: USERS.admin, password: PASSWORD }, new Date());
    const admin = await login(baseUrl, USERS.admin);
    for (const role of ['operator', 'viewer'] as const) {
        const res = await fetch(`${baseUrl}/api/users`, {
            method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
            body: JSON.stringify({ email: USERS[role], password: PASSWORD, role }),
        });
        if (res.status !== 201) throw new Error(`creating the ${role}: HTTP ${res.status} ${await res.text()}`);
    }
    return { admin, operator: await login(baseUrl, USERS.operator), viewer: await login(baseUrl, USERS.viewer) };
}

/** Opens the dashboard and signs in through its form, as a person would. */
export async function signInPage(page: Page, baseUrl: string, role: Role): Promise<void> {
    await page.goto(`${baseUrl}/api/dashboard`);
    await page.fill('#login-email', USERS[role]);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#app:not([hidden])');
}
