import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { getAccess } from '../src/shared/access/accessDeps';
import { ensureLocalAdmin } from '../src/shared/access/bootstrap';
import { getConfig } from '../src/shared/config';
import { PROJECT_ROOT } from './host';

function configured(key: string): boolean {
    if (process.env[key]) return true;
    const file = join(PROJECT_ROOT, 'local.settings.json');
    if (!existsSync(file)) return false;
    const values = (JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> }).Values ?? {};
    return typeof values[key] === 'string' && values[key] !== '';
}

/** The local token secret: the configured one, or one generated once and kept in the data folder. */
export function localAuthEnv(dataDir?: string): Record<string, string> {
    if (configured('AUTH_TOKEN_SECRET')) return {};
    const file = dataDir ? join(dataDir, 'auth-secret') : undefined;
    if (file && existsSync(file)) return { AUTH_TOKEN_SECRET: readFileSync(file, 'utf8').trim() };
    const secret = randomBytes(32).toString('base64url');
    if (file) writeFileSync(file, secret, { mode: 0o600 });
    return { AUTH_TOKEN_SECRET: secret };
}

/**
 * Creates the first local admin (LOCAL_ADMIN_EMAIL; LOCAL_ADMIN_PASSWORD or a generated password, kept in the
 * data folder) and returns the line to print, once; undefined when an admin exists already.
 */
export async function firstStartAdmin(dataDir?: string): Promise<string | undefined> {
    const config = getConfig();
    const password = config.LOCAL_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
    const email = config.LOCAL_ADMIN_EMAIL;
    if (!(await ensureLocalAdmin(getAccess().users, { email, password }, new Date()))) return undefined;
    if (config.LOCAL_ADMIN_PASSWORD) return `${email} with LOCAL_ADMIN_PASSWORD (local admin created now)`;
    const where = dataDir ? join(dataDir, 'local-admin.json') : undefined;
    if (where) writeFileSync(where, JSON.stringify({ email, password }, null, 2), { mode: 0o600 });
    return `${email}  password ${password}  (local admin created now; shown once${where ? `, kept in ${where}` : ''})`;
}
