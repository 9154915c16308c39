import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { isStorageUnavailable } from '../shared/clients/tables';
import { AppError, ensureError, ValidationError } from '../shared/errors';

type Handler<A extends unknown[]> = (request: HttpRequest, ...rest: A) => Promise<HttpResponseInit>;

/** The one HTTP error mapper: AppErrors keep their status and message; anything else is a 5xx without details. */
export function withErrors<A extends unknown[]>(handler: Handler<A>): Handler<A> {
    return async (request, ...rest) => {
        const ctx = rest[rest.length - 1] as InvocationContext;
        try {
            return await handler(request, ...rest);
        } catch (e) {
            if (e instanceof AppError) {
                return {
                    status: e.status,
                    jsonBody: { error: e.message, ...e.details },
                    headers: e.status === 503 ? { 'Retry-After': '30' } : undefined,
                };
            }
            const error = ensureError(e);
            if (isStorageUnavailable(e)) {
                ctx.warn(`storage unavailable: ${error.message}`);
                return { status: 503, jsonBody: { error: 'storage is unavailable; retry later' }, headers: { 'Retry-After': '30' } };
            }
            ctx.error(`unhandled error: ${error.stack ?? error.message}`);
            return { status: 500, jsonBody: { error: 'internal error' } };
        }
    };
}

/** Reads a body as text within a size limit; an empty body is a 400. */
export async function readText(request: HttpRequest, maxBytes = 4 * 1024 * 1024): Promise<string> {
    const text = await request.text();
    if (Buffer.byteLength(text) > maxBytes) throw new AppError(413, `body larger than ${maxBytes} bytes`);
    if (!text.trim()) throw new ValidationError('request body is empty; expected a JSON object');
    return text;
}

/** Reads a JSON body; a body that is not JSON is a 400 naming the problem. */
export async function readJson(request: HttpRequest, maxBytes = 4 * 1024 * 1024): Promise<unknown> {
    const text = await readText(request, maxBytes);
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new ValidationError(`request body is not valid JSON: ${(e as Error).message}`);
    }
}

/** Reads a JSON body that may be absent (an empty body is `{}`). */
export async function readOptionalJson(request: HttpRequest, maxBytes = 64 * 1024): Promise<unknown> {
    const text = await request.text();
    if (Buffer.byteLength(text) > maxBytes) throw new AppError(413, `body larger than the ${maxBytes}-byte limit`);
    if (!text.trim()) return {};
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new ValidationError(`request body is not valid JSON: ${(e as Error).message}`);
    }
}

export function json(status: number, body: unknown): HttpResponseInit {
    return { status, jsonBody: body };
}

/**
 * Largest alert body accepted. Azure caps a common-schema alert at 256 KB; the legacy log alert embeds up to
 * 1,000 search result rows (about 0.7 MB with a typical projection, case C10). 4 MiB leaves room for wide rows.
 */
export const MAX_ALERT_BYTES = 4 * 1024 * 1024;

const JSON_TYPE = /^(application\/(([\w.+-]+\+)?json)|text\/json)\s*(;|$)/i;

/**
 * An alert body as text: 415 when it says it is not JSON (no Content-Type is taken as JSON, as webhooks from
 * older senders omit it), 413 past the size limit (checked on Content-Length before reading), 400 when empty.
 */
export async function readAlertBody(request: HttpRequest, maxBytes = MAX_ALERT_BYTES): Promise<string> {
    const type = request.headers.get('content-type');
    if (type && !JSON_TYPE.test(type.trim())) {
        throw new AppError(415, `unsupported Content-Type "${type.slice(0, 100)}": expected application/json`);
    }
    const tooLarge = (bytes: number) => new AppError(413, `body of ${bytes} bytes is larger than the ${maxBytes}-byte limit for alerts`);
    const declared = Number(request.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(declared);
    const text = await request.text();
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge(Buffer.byteLength(text));
    if (!text.trim()) throw new ValidationError('request body is empty; expected a JSON object');
    return text;
}
