import { z } from 'zod';

import { ForbiddenError } from '../errors';
import { PasswordSchema } from './passwords';
import { RoleSchema } from './roles';
import { normaliseEmail } from './userStore';

const Email = z.string().trim().toLowerCase().pipe(z.email('expected an e-mail address').max(254));

export const NewUserSchema = z
    .object({ email: Email, password: PasswordSchema, role: RoleSchema, name: z.string().trim().min(1).max(100).optional() })
    .strict();
export type NewUser = z.infer<typeof NewUserSchema>;

export const UserPatchSchema = z
    .object({
        role: RoleSchema.optional(),
        password: PasswordSchema.optional(),
        name: z.string().trim().min(1).max(100).optional(),
        disabled: z.boolean().optional(),
    })
    .strict()
    .refine((p) => Object.keys(p).length > 0, 'give at least one of role, password, name, disabled');
export type UserPatch = z.infer<typeof UserPatchSchema>;

export const LoginSchema = z.object({ email: z.string().max(254).transform(normaliseEmail), password: z.string().max(256) }).strict();

/** Accounts may only be created for the configured e-mail domains (none configured: none may be created). */
export function assertDomainAllowed(email: string, domains: readonly string[]): void {
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    if (!domains.includes(domain)) {
        throw new ForbiddenError(
            domains.length === 0
                ? 'no e-mail domains are open for local accounts (set AUTH_EMAIL_DOMAINS)'
                : `local accounts are limited to ${domains.map((d) => `@${d}`).join(', ')}`,
        );
    }
}
