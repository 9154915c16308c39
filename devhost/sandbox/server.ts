import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as realDelay } from 'node:timers/promises';
import { checkAuth, serviceError } from './responses';
import { routeRequest, type Route } from './routing';
import type { Answer, Fault, RecordedCall, Sandbox, Service } from './types';

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface ServiceCall {
    route: Route;
    method: string;
    headers: http.IncomingHttpHeaders;
    /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
    body: unknown;
}

export interface ServerHooks {
    clock: () => number;
    handle(call: ServiceCall, sandbox: Sandbox): Answer | Promise<Answer>;
    /** Handles `/sandbox/...`; undefined when the path is not a control endpoint. */
    control?(method: string, path: string, body: unknown, sandbox: Sandbox): Answer | undefined;
    settings(baseUrl: string): Record<string, string>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY_BYTES) reject(new Error('request body too large'));
            else chunks.push(c);
        });
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

function parseBody(raw: string): unknown {
    if (raw.trim() === '') return undefined;
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

function send(res: http.ServerResponse, answer: Answer): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers ?? {})) headers[k] = String(v);
    const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
    if (payload !== '') headers['Content-Type'] ??= 'application/json; charset=utf-8';
    res.writeHead(answer.status, headers);
    res.end(payload);
}

interface FaultState extends Fault {
    remaining: number;
}

/** Starts the one local HTTP server; the hooks decide how each service call is answered. */
export async function startServer(hooks: ServerHooks, port = 0): Promise<Sandbox> {
    const faults = new Map<Service, FaultState>();
    const server = http.createServer();
    const sandbox: Sandbox = {
        baseUrl: '',
        port: 0,
        calls: [],
        violations: [],
        settings: () => hooks.settings(sandbox.baseUrl),
        setFault(service, fault) {
            if (fault) faults.set(service, { ...fault, remaining: fault.count ?? Infinity });
            else faults.delete(service);
        },
        close: () =>
            new Promise<void>((resolve, reject) => {
                server.close((err) => (err ? reject(err) : resolve()));
                server.closeAllConnections();
            }),
    };

    async function answerCall(call: ServiceCall): Promise<Answer> {
        const service = call.route.service;
        const fault = faults.get(service);
        if (fault && fault.remaining > 0) {
            fault.remaining -= 1;
            if (fault.remaining <= 0) faults.delete(service);
            if (fault.delayMs) await realDelay(fault.delayMs);
            if (fault.status >= 400) {
                return serviceError(
                    service,
                    fault.status,
                    `Injected fault (${fault.status}).`,
                    fault.retryAfterSeconds,
                );
            }
        }
        const denied = checkAuth(service, call.headers, call.route.query);
        if (denied) return denied;
        return hooks.handle(call, sandbox);
    }

    server.on('request', (req, res) => {
        void (async () => {
            const at = new Date(hooks.clock()).toISOString();
            const method = (req.method ?? 'GET').toUpperCase();
            const url = req.url ?? '/';
            try {
                const body = parseBody(await readBody(req));
                const path = url.split('?')[0] ?? '/';
                if (path.startsWith('/sandbox/')) {
                    send(
                        res,
                        hooks.control?.(method, path, body, sandbox) ?? {
                            status: 404,
                            body: { error: 'unknown sandbox endpoint' },
                        },
                    );
                    return;
                }
                const route = routeRequest(url);
                if (!route) {
                    send(res, { status: 404, body: { error: `no sandbox service at ${path}` } });
                    return;
                }
                const answer = await answerCall({ route, method, headers: req.headers, body });
                const call: RecordedCall = {
                    service: route.service,
                    method,
                    url: route.canonicalUrl,
                    status: answer.status,
                    at,
                };
                if (body !== undefined) call.body = body;
                sandbox.calls.push(call);
                send(res, answer);
            } catch (err) {
                send(res, { status: 500, body: { error: `sandbox failure: ${(err as Error).message}` } });
            }
        })();
    });

    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
    });
    sandbox.port = (server.address() as AddressInfo).port;
    sandbox.baseUrl = `http://127.0.0.1:${sandbox.port}`;
    return sandbox;
}
