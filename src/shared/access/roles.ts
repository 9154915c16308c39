import { z } from 'zod';

export const RoleSchema = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof RoleSchema>;
export const ROLES: readonly Role[] = RoleSchema.options;

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/** Whether `role` includes the rights of `needed` (admin ⊃ operator ⊃ viewer). */
export function atLeast(role: Role | null, needed: Role): boolean {
    return role !== null && RANK[role] >= RANK[needed];
}

/** The highest of several roles (Entra tokens may carry more than one); null when none is known. */
export function highestRole(values: string[]): Role | null {
    let best: Role | null = null;
    for (const value of values) {
        // App roles may be namespaced ("Autoheal.Operator"): the last segment names the role.
        const parsed = RoleSchema.safeParse(value.split('.').pop()?.toLowerCase());
        if (parsed.success && (best === null || RANK[parsed.data] > RANK[best])) best = parsed.data;
    }
    return best;
}

/** The Web PubSub group whose sockets receive what this role may see. */
export function roleGroup(role: Role): string {
    return `role-${role}`;
}

/** Who is calling: from a local token, an Entra token, or the metrics scrape key. */
export interface Principal {
    id: string;
    email?: string;
    name?: string;
    /** Null: a valid token whose account holds no role in this app (every route answers 403). */
    role: Role | null;
    via: 'local' | 'entra' | 'scrape-key';
    expiresAt?: string;
}
