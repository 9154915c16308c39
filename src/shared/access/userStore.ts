import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';

import { ensureTable, safeKey, statusOf } from '../clients/tables';
import { ConflictError } from '../errors';
import { RoleSchema } from './roles';

const PK = 'user';

export const UserSchema = z.object({
    email: z.string(),
    name: z.string().optional(),
    role: RoleSchema,
    passwordHash: z.string(),
    disabled: z.boolean().default(false),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.string().optional(),
});
export type User = z.infer<typeof UserSchema>;
export type PublicUser = Omit<User, 'passwordHash'>;

export function publicUser({ passwordHash: _hash, ...user }: User): PublicUser {
    return user;
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Local accounts: one row per e-mail address (lower-cased) in the `users` table. */
export class UserStore {
    private readonly table: () => Promise<TableClient>;

    constructor(table: TableClient) {
        this.table = ensureTable(table);
    }

    async get(email: string): Promise<User | undefined> {
        const table = await this.table();
        try {
            return fromRow(await table.getEntity<Record<string, unknown>>(PK, safeKey(normaliseEmail(email))));
        } catch (e) {
            if (statusOf(e) === 404) return undefined;
            throw e;
        }
    }

    /** Creates the account; an existing e-mail address is a ConflictError. */
    async create(user: User): Promise<void> {
        const table = await this.table();
        try {
            await table.createEntity({ partitionKey: PK, rowKey: safeKey(normaliseEmail(user.email)), ...clean(user) });
        } catch (e) {
            if (statusOf(e) === 409) throw new ConflictError(`an account for ${user.email} already exists`);
            throw e;
        }
    }

    async replace(user: User): Promise<void> {
        const table = await this.table();
        await table.upsertEntity({ partitionKey: PK, rowKey: safeKey(normaliseEmail(user.email)), ...clean(user) }, 'Replace');
    }

    async delete(email: string): Promise<boolean> {
        const table = await this.table();
        try {
            await table.deleteEntity(PK, safeKey(normaliseEmail(email)));
            return true;
        } catch (e) {
            if (statusOf(e) === 404) return false;
            throw e;
        }
    }

    async list(): Promise<User[]> {
        const table = await this.table();
        const out: User[] = [];
        for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${PK}'` } })) {
            out.push(fromRow(row));
        }
        return out.sort((a, b) => a.email.localeCompare(b.email));
    }
}

function clean(user: User): Record<string, unknown> {
    return Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined));
}

function fromRow(row: Record<string, unknown>): User {
    return UserSchema.parse(row);
}
