import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
    method: string;
    /** Path and query as received. */
    url: string;
    path: string;
    query: URLSearchParams;
    headers: IncomingHttpHeaders;
    body: string;
}

export interface Scripted {
    status: number;
    headers?: Record<string, string>;
    body?: unknown;
    /** Sent as is instead of `body`. */
    rawBody?: string;
    delayMs?: number;
}

interface Route {
    method: string;
    match: (r: Recorded) => boolean;
    responses: Scripted[];
    served: number;
}

/** A local stand-in for ARM, Databricks or Gemini: answers scripted responses in order (repeating the last). */
export class Stub {
    readonly requests: Recorded[] = [];
    private readonly routes: Route[] = [];

    private constructor(private readonly server: Server) {}

    static async start(): Promise<Stub> {
        const server = createServer();
        const stub = new Stub(server);
        server.on('request', (req, res) => {
            const chunks: Buffer[] = [];
            req.on('data', (c: Buffer) => chunks.push(c));
            req.on('end', () => {
                const u = new URL(req.url ?? '/', 'http://stub');
                const rec: Recorded = {
                    method: req.method ?? '',
                    url: req.url ?? '',
                    path: u.pathname,
                    query: u.searchParams,
                    headers: req.headers,
                    body: Buffer.concat(chunks).toString('utf8'),
                };
                stub.requests.push(rec);
                const answer = stub.answer(rec);
                const send = () => {
                    if (res.destroyed) return;
                    const text = answer.rawBody ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
                    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
                    res.end(text);
                };
                if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
                else send();
            });
        });
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        return stub;
    }

    get url(): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    /** `path` matches when the request path ends with it (or when the RegExp matches path + query). */
    on(method: string, path: string | RegExp, ...responses: Scripted[]): this {
        const match =
            typeof path === 'string' ? (r: Recorded) => r.path.endsWith(path) : (r: Recorded) => path.test(r.url);
        this.routes.push({ method, match, responses, served: 0 });
        return this;
    }

    calls(method: string, pathEnd: string): Recorded[] {
        return this.requests.filter((r) => r.method === method && r.path.endsWith(pathEnd));
    }

    private answer(rec: Recorded): Scripted {
        const route = this.routes.find((r) => r.method === rec.method && r.match(rec));
        if (!route) return { status: 404, body: { error: { code: 'NoStub', message: `no stub for ${rec.url}` } } };
        const i = Math.min(route.served++, route.responses.length - 1);
        return route.responses[i] ?? { status: 500 };
    }

    async close(): Promise<void> {
        this.server.closeAllConnections();
        this.server.close();
        await once(this.server, 'close');
    }
}
