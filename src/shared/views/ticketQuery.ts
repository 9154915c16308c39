import { z } from 'zod';

import { ErrorClassSchema, SourceSchema, TicketStatusSchema } from '../domain';
import { ValidationError } from '../errors';
import { PrioritySchema } from './settings';
import type { TicketView } from './ticketView';

export const isoTime = z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO 8601 date or date-time')
    .transform((v) => new Date(v).toISOString());
const statusList = z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(TicketStatusSchema).min(1));

export const SORTS = ['created_desc', 'created_asc', 'updated_desc', 'updated_asc'] as const;
export type Sort = (typeof SORTS)[number];

/** The filters every ticket list (the API, the CSV export) accepts. */
export const TicketFilterSchema = z.object({
    status: statusList.optional().describe('one status or several, comma-separated'),
    source: SourceSchema.optional(),
    pipeline: z.string().trim().min(1).max(200).optional().describe('pipeline or job name contains this (case-insensitive)'),
    errorClass: ErrorClassSchema.optional(),
    priority: PrioritySchema.optional(),
    team: z.string().trim().min(1).max(100).optional(),
    owner: z.string().trim().min(1).max(200).optional(),
    breached: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('SLA breached or not'),
    from: isoTime.optional().describe('created at or after'),
    to: isoTime.optional().describe('created before'),
    updatedSince: isoTime.optional().describe('updated at or after (a dashboard re-syncing after a reconnect)'),
    sort: z.enum(SORTS).default('created_desc'),
});
export type TicketFilter = z.infer<typeof TicketFilterSchema>;

export const TicketListQuerySchema = TicketFilterSchema.extend({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    continuationToken: z.string().max(400).optional().describe('from the previous page'),
});
export type TicketListQuery = z.infer<typeof TicketListQuerySchema>;

/** Parses a query string against a schema; a bad one is a 400 naming every problem. */
export function parseQuery<S extends z.ZodType>(schema: S, query: URLSearchParams): z.infer<S> {
    const parsed = schema.safeParse(Object.fromEntries(query.entries()));
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ValidationError(`bad query: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

const eq = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** Every filter except status (so counts by status can be computed over the rest). */
function matchesExceptStatus(t: TicketView, f: TicketFilter): boolean {
    return (!f.source || t.source === f.source)
        && (!f.pipeline || t.pipeline.toLowerCase().includes(f.pipeline.toLowerCase()))
        && (!f.errorClass || t.category === f.errorClass)
        && (!f.priority || t.priority === f.priority)
        && (!f.team || eq(t.team, f.team))
        && (!f.owner || eq(t.owner, f.owner))
        && (f.breached === undefined || t.slaBreached === f.breached)
        && (!f.from || t.createdAt >= f.from)
        && (!f.to || t.createdAt < f.to)
        && (!f.updatedSince || t.updatedAt >= f.updatedSince);
}

function sortKey(t: TicketView, sort: Sort): string {
    return sort.startsWith('created') ? t.createdAt : t.updatedAt;
}

/** Total order for a sort: time (either way), then id, so a cursor names one exact position. */
function compare(a: { key: string; id: string }, b: { key: string; id: string }, sort: Sort): number {
    const byTime = sort.endsWith('desc') ? b.key.localeCompare(a.key) : a.key.localeCompare(b.key);
    return byTime || a.id.localeCompare(b.id);
}

const CursorSchema = z.object({ s: z.enum(SORTS), k: z.string(), i: z.string() });

function decodeCursor(token: string, sort: Sort): { key: string; id: string } {
    let cursor: z.infer<typeof CursorSchema>;
    try {
        cursor = CursorSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    } catch {
        throw new ValidationError('continuationToken: expected the token from a previous page');
    }
    if (cursor.s !== sort) throw new ValidationError('continuationToken: it belongs to another sort order');
    return { key: cursor.k, id: cursor.i };
}

export interface TicketPage {
    tickets: TicketView[];
    continuationToken?: string;
    total: number;
    counts: Record<string, number>;
}

/** Filters the tickets without paging (the CSV export), in the query's order. */
export function filterTickets(all: TicketView[], f: TicketFilter): TicketView[] {
    return all
        .filter((t) => matchesExceptStatus(t, f) && (!f.status || f.status.includes(t.status)))
        .sort((a, b) => compare({ key: sortKey(a, f.sort), id: a.id }, { key: sortKey(b, f.sort), id: b.id }, f.sort));
}

/**
 * One page after the cursor. The cursor is the last row's (time, id), not an offset: tickets added or moved
 * while someone pages never shift the rows that follow it.
 */
export function pageTickets(all: TicketView[], q: TicketListQuery): TicketPage {
    const counts: Record<string, number> = {};
    for (const t of all) if (matchesExceptStatus(t, q)) counts[t.status] = (counts[t.status] ?? 0) + 1;
    const matching = filterTickets(all, q);
    const after = q.continuationToken ? decodeCursor(q.continuationToken, q.sort) : undefined;
    const rest = after ? matching.filter((t) => compare({ key: sortKey(t, q.sort), id: t.id }, after, q.sort) > 0) : matching;
    const tickets = rest.slice(0, q.limit);
    const last = tickets.at(-1);
    const continuationToken = rest.length > q.limit && last
        ? Buffer.from(JSON.stringify({ s: q.sort, k: sortKey(last, q.sort), i: last.id })).toString('base64url')
        : undefined;
    return { tickets, total: matching.length, counts, ...(continuationToken ? { continuationToken } : {}) };
}
