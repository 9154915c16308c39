import { NotFoundError, TransientError } from '../ports';
import { redact } from './redact';
import type { TokenProvider } from './tokens';

/** A 4xx (other than 404, 408 and 429) that retrying will not fix. */
export class PermanentHttpError extends Error {
    constructor(
        readonly status: number,
        readonly code: string | undefined,
        message: string,
    ) {
        super(message);
        this.name = 'PermanentHttpError';
    }
}

export interface HttpClientOptions {
    token: TokenProvider;
    timeoutMs: number;
    fetch?: typeof fetch;
    now?: () => Date;
    /** Turns a response body into a value (JSON.parse by default). */
    parse?: (text: string) => unknown;
}

export interface HttpRequest {
    method: 'GET' | 'POST';
    url: string;
    /** A string is sent as is (already JSON text); anything else is JSON.stringify'd. */
    body?: unknown;
}

export interface HttpClient {
    send(req: HttpRequest): Promise<unknown>;
}

const MAX_DETAIL = 500;

/** Milliseconds to wait from a Retry-After header (delta seconds or HTTP-date); undefined when absent or bad. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
    if (!value) return undefined;
    const trimmed = value.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
    const at = Date.parse(trimmed);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Method, host and path only: query strings are left out of messages. */
function describe(req: HttpRequest): string {
    try {
        const u = new URL(req.url);
        return `${req.method} ${u.host}${u.pathname}`;
    } catch {
        return req.method;
    }
}

/** Error code and message from an ARM (`{error:{code,message}}`) or Databricks (`{error_code,message}`) body. */
function errorInfo(text: string): { code?: string; message?: string } {
    let body: unknown;
    try {
        body = JSON.parse(text);
    } catch {
        return { message: text.trim() || undefined };
    }
    if (typeof body !== 'object' || body === null) return {};
    const b = body as Record<string, unknown>;
    const inner = typeof b.error === 'object' && b.error !== null ? (b.error as Record<string, unknown>) : b;
    const code = inner.code ?? inner.error_code ?? b.error_code;
    const message = inner.message ?? b.message;
    return {
        code: typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
        message: typeof message === 'string' ? message : undefined,
    };
}

function clip(text: string): string {
    const clean = redact(text).replace(/\s+/g, ' ').trim();
    return clean.length > MAX_DETAIL ? `${clean.slice(0, MAX_DETAIL)}…` : clean;
}

function errorName(err: unknown): string {
    return typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : '';
}

function causeCode(err: unknown): string {
    const cause = typeof err === 'object' && err !== null && 'cause' in err ? err.cause : undefined;
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
    return typeof code === 'string' ? code : 'network error';
}

/** A small JSON-over-fetch client: bearer auth, per-call timeout, HTTP failures mapped to the port's error types. */
export function createHttpClient(opts: HttpClientOptions): HttpClient {
    const doFetch = opts.fetch ?? fetch;
    const now = opts.now ?? (() => new Date());
    const parse = opts.parse ?? JSON.parse;

    return {
        async send(req) {
            const what = describe(req);
            const headers: Record<string, string> = {
                Accept: 'application/json',
                Authorization: `Bearer ${await opts.token.getToken()}`,
            };
            let body: string | undefined;
            if (req.body !== undefined) {
                body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
                headers['Content-Type'] = 'application/json';
            }
            let status: number;
            let text: string;
            let retryAfter: string | null;
            try {
                const res = await doFetch(req.url, {
                    method: req.method,
                    headers,
                    body,
                    signal: AbortSignal.timeout(opts.timeoutMs),
                });
                status = res.status;
                retryAfter = res.headers.get('retry-after');
                text = await res.text();
            } catch (err) {
                const name = errorName(err);
                if (name === 'TimeoutError' || name === 'AbortError') {
                    throw new TransientError(`${what} timed out after ${opts.timeoutMs} ms`);
                }
                throw new TransientError(`${what} failed: ${causeCode(err)}`);
            }
            if (status >= 200 && status < 300) {
                if (!text.trim()) return undefined;
                try {
                    return parse(text) as unknown;
                } catch {
                    throw new TransientError(`${what} returned ${status} with a body that is not JSON`);
                }
            }
            const info = errorInfo(text);
            const code = info.code ? ` ${clip(info.code)}` : '';
            const detail = `${what} → ${status}${code}${info.message ? `: ${clip(info.message)}` : ''}`;
            if (status === 404) throw new NotFoundError(detail);
            if (status === 408 || status === 429 || status >= 500) {
                throw new TransientError(detail, parseRetryAfter(retryAfter, now()), status);
            }
            throw new PermanentHttpError(status, info.code, detail);
        },
    };
}
