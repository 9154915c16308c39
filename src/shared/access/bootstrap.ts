import { hashPassword } from './passwords';
import type { UserStore } from './userStore';
import { normaliseEmail } from './userStore';

/**
 * Creates the first local admin when no enabled admin exists (a fresh store); returns whether it did. The caller
 * shows the credential once; only its scrypt hash is stored.
 */
export async function ensureLocalAdmin(users: UserStore, credential: { email: string; password: string }, now: Date): Promise<boolean> {
    const existing = await users.list();
    if (existing.some((u) => u.role === 'admin' && !u.disabled)) return false;
    const at = now.toISOString();
    await users.replace({
        email: normaliseEmail(credential.email), role: 'admin', name: 'Local admin', passwordHash: await hashPassword(credential.password),
        disabled: false, createdAt: at, updatedAt: at, createdBy: 'first start',
    });
    return true;
}
