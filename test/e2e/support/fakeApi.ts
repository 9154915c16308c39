import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

import type { WebSocket } from 'ws';

import type { AuditEvent, Ticket } from '../../../src/shared/domain';

export const SESSION_TOKEN = 'session-token-1';
export const LOGIN = { email: 'op@example.com', password: 'correct password' };
export const FAKE_PAGE_SIZE = 4; // smaller than the page's limit=50, so "load more" is exercised
const WEB_DIR = join(__dirname, '..', '..', '..', 'src', 'web');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** A stand-in for the ticket API, negotiate and login, with the state the browser test drives. */
export const fake = {
    tickets: [] as Ticket[],
    timelines: new Map<string, AuditEvent[]>(),
    ticketListRequests: 0,
    resyncRequests: 0,
    tokenLifetimeMs: 3_600_000,
    issuedTokens: new Set<string>(),
    usedTokens: new Set<string>(),
    sockets: new Set<WebSocket>(),
};

export function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
    res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

function list(url: URL) {
    const q = Object.fromEntries(url.searchParams);
    if (q['updatedSince']) fake.resyncRequests += 1;
    else fake.ticketListRequests += 1;
    const key = (t: Ticket) => (q['sort']?.startsWith('updated') ? t.updatedAt : t.createdAt);
    const others = fake.tickets.filter((t) => (!q['source'] || t.source === q['source']) && (!q['updatedSince'] || t.updatedAt >= q['updatedSince']));
    const all = others.filter((t) => !q['status'] || t.status === q['status']).sort((a, b) => key(b).localeCompare(key(a)));
    const offset = Number(q['continuationToken'] ?? 0);
    const size = Math.min(Number(q['limit'] ?? 50), FAKE_PAGE_SIZE);
    const counts: Record<string, number> = {};
    for (const t of others) counts[t.status] = (counts[t.status] ?? 0) + 1;
    const next = offset + size < all.length ? String(offset + size) : undefined;
    return { tickets: all.slice(offset, offset + size), continuationToken: next, total: all.length, counts };
}

const METRICS = {
    window: { from: '2025-03-07T00:00:00.000Z', to: '2025-03-14T00:00:00.000Z' },
    overall: { tickets: 6, recovered: 2, autoHealed: 1, escalated: 1, autoHealRate: 0.5, mttrSeconds: { median: 412, p90: 3900 }, attemptsPerTicket: 0.3 },
    byStatus: {}, byPipeline: [],
    byErrorClass: [{ errorClass: 'transient', tickets: 1, recovered: 1, autoHealed: 1, escalated: 0, autoHealRate: 1, mttrSeconds: { median: 412, p90: 412 }, attemptsPerTicket: 1 }],
    mttrOverTime: [{ bucket: '2025-03-13T00:00:00.000Z', recovered: 1, medianSeconds: 412 }, { bucket: '2025-03-14T00:00:00.000Z', recovered: 0, medianSeconds: null }],
};

export async function handle(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    if (path === '/api/dashboard' || path.startsWith('/api/dashboard/')) {
        const file = path === '/api/dashboard' ? 'dashboard.html' : path.split('/').pop()!;
        const type = TYPES[extname(file)];
        if (!type || !/^[a-z][a-z0-9-]*\.[a-z]+$/.test(file)) return send(res, 404, { error: 'not found' });
        return send(res, 200, await readFile(join(WEB_DIR, file), 'utf8'), type);
    }
    if (path === '/api/auth/login') {
        const { email, password } = await body(req);
        if (email !== LOGIN.email || password !== LOGIN.password) return send(res, 401, { error: 'wrong e-mail or password' });
        return send(res, 200, { token: SESSION_TOKEN, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), user: { email, role: 'operator' } });
    }
    if (req.headers['authorization'] !== `Bearer ${SESSION_TOKEN}`) return send(res, 401, { error: 'sign in first' });
    if (path === '/api/negotiate') {
        const token = `tok-${fake.issuedTokens.size + 1}`;
        fake.issuedTokens.add(token);
        const wsUrl = `${origin.replace('http', 'ws')}/client/hubs/tickets?access_token=${token}`;
        return send(res, 200, { url: wsUrl, expiresAt: new Date(Date.now() + fake.tokenLifetimeMs).toISOString() });
    }
    if (path === '/api/metrics') return send(res, 200, METRICS);
    if (path === '/api/tickets') return send(res, 200, list(url));
    const id = decodeURIComponent(path.replace(/^\/api\/tickets\//, ''));
    const ticket = fake.tickets.find((t) => t.id === id);
    if (!path.startsWith('/api/tickets/') || !ticket) return send(res, 404, { error: 'not found' });
    return send(res, 200, { ticket, timeline: fake.timelines.get(id) ?? [] });
}

/** Stores a ticket version and pushes it to every socket, as the journal's broadcast would. */
export function push(ticket: Ticket, event?: AuditEvent): void {
    const index = fake.tickets.findIndex((t) => t.id === ticket.id);
    if (index >= 0) fake.tickets[index] = ticket;
    else fake.tickets.push(ticket);
    const message = { type: 'message', from: 'server', dataType: 'json', data: { type: 'ticket', ticket, event } };
    for (const socket of fake.sockets) socket.send(JSON.stringify(message));
}

/** The next version of a ticket, written now (as every journal write is). */
export function later(ticket: Ticket, over: Partial<Ticket>): Ticket {
    const updatedAt = new Date(Math.max(Date.now(), Date.parse(ticket.updatedAt) + 60_000)).toISOString();
    return { ...ticket, updatedAt, version: (ticket.version ?? 1) + 1, ...over };
}
