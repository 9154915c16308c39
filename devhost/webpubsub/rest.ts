import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, verifyToken } from './auth';
import type { HubContext } from './context';
import { dataTypeOfContentType, payloadFromBody } from './frames';
import { routes } from './restRoutes';
import type { RestRequest, Route } from './restTypes';

const MAX_BODY = 1024 * 1024;
export const HUB_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

class HttpError extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
    }
}

/** The server SDK's REST API (`/api/hubs/{hub}/…`), authenticated with JWTs signed by the access key. */
export function createRestHandler(ctx: HubContext): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
        handle(ctx, req, res).catch((err: unknown) => {
            const e = err instanceof HttpError ? err
                : err instanceof SyntaxError ? new HttpError(400, 'BadRequest', err.message)
                    : new HttpError(500, 'InternalServerError', 'Unexpected error in the local Web PubSub hub');
            reply(req, res, e.status, { code: e.code, message: e.message });
        });
    };
}

function reply(req: IncomingMessage, res: ServerResponse, status: number, body?: unknown): void {
    if (res.headersSent) return;
    if (body === undefined || req.method === 'HEAD') {
        res.writeHead(status, { 'Content-Length': '0' }).end();
        return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

async function handle(ctx: HubContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? 'localhost';
    const url = new URL(req.url ?? '/', `http://${host}`);
    const segments = url.pathname.split('/').slice(1).map(decodeSegment);
    if (segments[0] === 'api' && segments[1] === 'health' && segments.length === 2) {
        return reply(req, res, ctx.available ? 200 : 503);
    }
    if (!ctx.available) throw new HttpError(503, 'ServiceUnavailable', 'The local Web PubSub hub is unavailable');
    const [api, hubs, hub, ...rest] = segments;
    if (api !== 'api' || hubs !== 'hubs' || !hub) throw notFound(url.pathname);
    const { route, params } = match(req.method ?? 'GET', rest, url.pathname);
    if (!HUB_NAME.test(hub)) throw new HttpError(400, 'BadRequest', 'Invalid hub name');

    const token = bearerToken(req.headers.authorization);
    const claims = token && (await verifyToken(token, ctx.key, [`http://${host}${req.url ?? '/'}`]));
    if (!claims) throw new HttpError(401, 'Unauthorized', 'Missing or invalid access token');

    const body = await readBody(req);
    const restReq: RestRequest = { hub, params, query: url.searchParams, origin: `http://${host}` };
    if (route.body === 'message') {
        const dataType = dataTypeOfContentType(req.headers['content-type']);
        if (!dataType) throw new HttpError(400, 'BadRequest', 'Content-Type must be application/json, text/plain or '
            + 'application/octet-stream');
        restReq.payload = payloadFromBody(dataType, body);
    } else if (route.body === 'json') {
        restReq.json = JSON.parse(body.toString('utf8'));
    }
    const result = await route.handle(ctx, restReq);
    reply(req, res, result.status, result.body);
}

function match(method: string, rest: string[], path: string): { route: Route; params: Record<string, string> } {
    let pathMatched = false;
    for (const route of routes) {
        const params = matchPath(route.path, rest);
        if (!params) continue;
        pathMatched = true;
        if (route.method === method) return { route, params };
    }
    if (pathMatched) throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported on ${path}`);
    throw notFound(path);
}

function matchPath(pattern: string[], segments: string[]): Record<string, string> | undefined {
    if (pattern.length !== segments.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < pattern.length; i++) {
        const p = pattern[i] as string;
        const s = segments[i] as string;
        if (p.startsWith('{')) {
            if (!s) return undefined;
            params[p.slice(1, -1)] = s;
        } else if (p !== s) {
            return undefined;
        }
    }
    return params;
}

function notFound(path: string): HttpError {
    return new HttpError(404, 'NotFound', `No such API in the local Web PubSub hub: ${path}`);
}

function decodeSegment(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        throw new HttpError(400, 'BadRequest', 'Malformed URL encoding');
    }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (chunk: Buffer) => {
            size += chunk.length;
            // Keep draining past the limit so the 413 reply can still be written on this socket.
            if (size > MAX_BODY) reject(new HttpError(413, 'PayloadTooLarge', 'The message exceeds 1 MB'));
            else chunks.push(chunk);
        });
        req.on('end', () => resolve(Buffer.concat(chunks)));
        req.on('error', reject);
    });
}
