import { HttpRequest, InvocationContext } from '@azure/functions';

import { withErrors } from '../../../../src/functions/http';
import { Authenticator } from '../../../../src/shared/access/authenticator';
import { LocalTokens } from '../../../../src/shared/access/localTokens';
import type { Role } from '../../../../src/shared/access/roles';
import type { User, UserStore } from '../../../../src/shared/access/userStore';
import type { AuditStore, NewAuditEvent } from '../../../../src/shared/clients/auditStore';
import type { TicketStore } from '../../../../src/shared/clients/ticketStore';
import { loadConfig } from '../../../../src/shared/config';
import { ConflictError } from '../../../../src/shared/errors';
import type { AuditEvent, Ticket } from '../../../../src/shared/domain';
import type { Broadcaster } from '../../../../src/shared/ports';

export const NOW = new Date('2025-03-14T12:00:00.000Z');
export const SECRET = 'test-secret-of-at-least-thirty-two-characters';
export const config = loadConfig({
    STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    AUTH_TOKEN_SECRET: SECRET,
    AUTH_EMAIL_DOMAINS: 'contoso.com',
    METRICS_SCRAPE_KEY: 'scrape-key-0123456789',
    OWNERSHIP_RULES: JSON.stringify([
        { match: 'pl_sales_*', team: 'Sales BI', owner: 'ana@contoso.com', costCentre: 'CC-1001' },
        { match: 'nightly_*', team: 'Lakehouse', owner: 'li@contoso.com' },
    ]),
});
export const tokens = new LocalTokens(SECRET, 15);
export const auth = new Authenticator({ local: tokens, scrapeKey: config.METRICS_SCRAPE_KEY });

export async function tokenFor(role: Role, email = `${role}@contoso.com`): Promise<string> {
    return (await tokens.issue({ email, role }, new Date())).token;
}

export function ticket(id: string, minutesAgo: number, over: Partial<Ticket> = {}): Ticket {
    const at = new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
    return {
        id, source: 'adf', status: 'open', dedupKey: id, pipeline: `pl_${id}`, runId: `run-${id}`, severity: 'Sev2',
        createdAt: at, updatedAt: at, attempts: 0, rerunRunIds: [], relatedAlerts: 1, version: 1, ...over,
    };
}

/** Tickets and audit rows in memory, with the methods the handlers and the journal use. */
export function memoryStores(initial: Ticket[] = [], timelines: Record<string, AuditEvent[]> = {}) {
    const rows = new Map(initial.map((t) => [t.id, { ...t }]));
    const audit = new Map(Object.entries(timelines).map(([k, v]) => [k, [...v]]));
    const tickets = {
        list: async () => [...rows.values()].map((t) => ({ ...t })),
        get: async (id: string) => (rows.has(id) ? { ...rows.get(id)! } : undefined),
        withDeliveryCounts: async <T>(list: T[]) => list,
        updateVersioned: async (id: string, patch: Partial<Ticket>) => {
            const t = rows.get(id)!;
            const version = (t.version ?? 0) + 1;
            rows.set(id, { ...t, ...patch, version });
            return version;
        },
    } as unknown as TicketStore;
    const auditStore = {
        list: async (id: string) => [...(audit.get(id) ?? [])],
        has: async (id: string, seq: number) => (audit.get(id) ?? []).some((e) => Math.floor(e.seq / 100) === seq),
        append: async (id: string, seq: number, at: string, events: NewAuditEvent[]) => {
            const written = events.map((e, i) => ({ ticketId: id, seq: seq * 100 + i, at, type: e.type, summary: e.summary, data: e.data ?? {} }));
            audit.set(id, [...(audit.get(id) ?? []), ...written]);
            return written;
        },
        writeDocument: async () => 'doc',
    } as unknown as AuditStore;
    const sent: { ticket: Ticket; event?: AuditEvent }[] = [];
    const broadcaster: Broadcaster = {
        ticketUpdated: async (t, event) => void sent.push({ ticket: t, event }),
        clientUrl: async (userId, opts) => ({ url: `ws://hub/client?user=${userId}&groups=${(opts?.groups ?? []).join(',')}&minutes=${opts?.minutes}`, expiresAt: NOW.toISOString() }),
    };
    return { rows, audit, sent, deps: { tickets, audit: auditStore, broadcaster, config, now: () => NOW } };
}

export function memoryUsers(initial: User[] = []) {
    const users = new Map(initial.map((u) => [u.email, u]));
    return {
        users,
        store: {
            get: async (email: string) => users.get(email.toLowerCase()),
            create: async (u: User) => {
                if (users.has(u.email)) throw new ConflictError(`an account for ${u.email} already exists`);
                users.set(u.email, u);
            },
            replace: async (u: User) => void users.set(u.email, u),
            delete: async (email: string) => users.delete(email),
            list: async () => [...users.values()],
        } as unknown as UserStore,
    };
}

export interface Call {
    method?: string;
    url?: string;
    token?: string;
    headers?: Record<string, string>;
    params?: Record<string, string>;
    body?: unknown;
}

/** Calls a handler as the host would: through withErrors, with a request built from `call`. */
export async function invoke(handler: (request: HttpRequest, ctx: InvocationContext) => Promise<unknown>, call: Call) {
    const headers: Record<string, string> = { ...(call.headers ?? {}) };
    if (call.token) headers['authorization'] = `Bearer ${call.token}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const request = new HttpRequest({
        method: call.method ?? 'GET',
        url: `http://localhost/api/${call.url ?? ''}`,
        headers,
        params: call.params ?? {},
        ...(call.body !== undefined ? { body: { string: typeof call.body === 'string' ? call.body : JSON.stringify(call.body) } } : {}),
    });
    const res = (await withErrors(handler as never)(request, new InvocationContext({ functionName: 'test' }))) as {
        status?: number; jsonBody?: unknown; body?: unknown; headers?: Record<string, string>;
    };
    return { status: res.status ?? 200, json: res.jsonBody as Record<string, unknown>, body: res.body, headers: res.headers ?? {} };
}
