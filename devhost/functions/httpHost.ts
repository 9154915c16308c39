import { HttpRequest, HttpResponse } from '@azure/functions';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { CapturedFunction } from './capture';
import { invocationContext } from './invoke';
import { compileRoutes, matchRoute } from './routes';

export interface HttpHostOptions {
    functions: Map<string, CapturedFunction>;
    host: string;
    port: number;
    functionKey: string;
    masterKey: string;
    /** The durable client binding data handed to functions with a durableClient input. */
    durableClientData: () => Record<string, unknown>;
    log: (line: string) => void;
    maxBodyBytes?: number;
    /** Extra non-function routes (the durable webhooks, health); return true when handled. */
    extra?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean>;
}

function keyMatches(given: string | undefined, ...keys: string[]): boolean {
    if (!given) return false;
    const a = Buffer.from(given);
    return keys.some((k) => {
        const b = Buffer.from(k);
        return a.length === b.length && timingSafeEqual(a, b);
    });
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let over = false;
        req.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > limit) over = true;
            else chunks.push(chunk);
        });
        req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
        req.on('error', reject);
    });
}

function send(res: ServerResponse, status: number, body?: unknown): void {
    if (body === undefined) {
        res.writeHead(status).end();
        return;
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** Serves the app's HTTP triggers as the Functions host does: routes under /api, methods, function keys. */
export async function startHttpHost(opts: HttpHostOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
    const routes = compileRoutes(opts.functions.values());
    const limit = opts.maxBodyBytes ?? 100 * 1024 * 1024;
    const server = createServer((req, res) => {
        void handle(req, res).catch((e: unknown) => {
            opts.log(`[host] request failed: ${(e as Error).stack ?? String(e)}`);
            if (!res.headersSent) send(res, 500);
            else res.end();
        });
    });

    async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const body = await readBody(req, limit);
        if (body === 'too-large') return send(res, 413, { error: `request body larger than ${limit} bytes` });
        if (opts.extra && (await opts.extra(req, res, body))) return;
        const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${opts.host}:${opts.port}`}`);
        let match;
        try {
            match = matchRoute(routes, req.method ?? 'GET', url.pathname);
        } catch {
            return send(res, 400, { error: 'malformed URL encoding in path' });
        }
        if (!match) return send(res, 404, { error: `no function serves ${url.pathname}` });
        if ('methodNotAllowed' in match) {
            res.setHeader('Allow', match.allowed.join(', '));
            return send(res, 405, { error: `method ${req.method} not allowed; use ${match.allowed.join(' or ')}` });
        }
        const { route, params } = match;
        if (route.authLevel !== 'anonymous') {
            const given = url.searchParams.get('code') ?? (req.headers['x-functions-key'] as string | undefined);
            const ok = route.authLevel === 'admin' ? keyMatches(given, opts.masterKey) : keyMatches(given, opts.functionKey, opts.masterKey);
            if (!ok) return send(res, 401, { error: 'a valid function key is required (the code query parameter or the x-functions-key header)' });
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        const request = new HttpRequest({
            method: req.method ?? 'GET',
            url: url.toString(),
            headers,
            query: Object.fromEntries(url.searchParams),
            params,
            body: body.length > 0 ? { bytes: body } : undefined,
        });
        const ctx = invocationContext(route.fn, randomUUID(), opts.log);
        const clientBinding = ctx.options.extraInputs.find((b) => b.type === 'durableClient' || b.type === 'orchestrationClient');
        if (clientBinding) ctx.extraInputs.set(clientBinding, opts.durableClientData());
        const result = await route.fn.handler(request, ctx);
        const response = result instanceof HttpResponse ? result : new HttpResponse((result ?? {}) as never);
        const outHeaders: Record<string, string> = {};
        response.headers.forEach((value, key) => (outHeaders[key] = value));
        const payload = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
        res.writeHead(response.status ?? 200, outHeaders).end(payload);
    }

    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, opts.host, resolve);
    });
    const port = (server.address() as AddressInfo).port;
    return {
        server,
        url: `http://${opts.host}:${port}`,
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

export { send };
