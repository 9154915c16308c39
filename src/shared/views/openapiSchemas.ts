import { z } from 'zod';

import { NewUserSchema, UserPatchSchema } from '../access/accounts';
import { RoleSchema } from '../access/roles';
import { AuditEventSchema } from '../domain';
import { MetricsReportSchema } from './metrics';
import { ActionBodySchemas } from './ticketActions';
import { TicketViewSchema } from './ticketView';

const PublicUserSchema = z.object({
    email: z.string(), name: z.string().optional(), role: RoleSchema, disabled: z.boolean(),
    createdAt: z.string(), updatedAt: z.string(), createdBy: z.string().optional(),
});

/** The named schemas of the API document: every one is a zod schema the code parses or produces. */
export const COMPONENTS: Record<string, z.ZodType> = {
    TicketView: TicketViewSchema,
    AuditEvent: AuditEventSchema,
    TicketPage: z.object({
        tickets: z.array(TicketViewSchema),
        continuationToken: z.string().optional().describe('pass it back for the next page; absent on the last page'),
        total: z.number().int().describe('tickets matching the filters'),
        counts: z.record(z.string(), z.number().int()).describe('matching tickets per status, ignoring the status filter'),
    }),
    TicketDetail: z.object({ ticket: TicketViewSchema, timeline: z.array(AuditEventSchema) }),
    ActionAccepted: z.object({ ticketId: z.string(), action: z.string(), event: z.string(), payload: z.record(z.string(), z.unknown()) }),
    ApproveBody: ActionBodySchemas.approve,
    RejectBody: ActionBodySchemas.reject,
    RetryBody: ActionBodySchemas.retry,
    CloseBody: ActionBodySchemas.close,
    LoginBody: z.object({ email: z.string(), password: z.string() }),
    Session: z.object({ token: z.string(), expiresAt: z.string(), user: PublicUserSchema }),
    User: PublicUserSchema,
    UserList: z.object({ users: z.array(PublicUserSchema) }),
    NewUser: NewUserSchema,
    UserPatch: UserPatchSchema,
    Metrics: MetricsReportSchema,
    ClientUrl: z.object({ url: z.string(), expiresAt: z.string() }),
    Error: z.object({ error: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() }),
};

/** JSON Schema 2020-12 (what OpenAPI 3.1 uses) of a zod schema, as the API reads it or writes it. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
    return rest;
}
