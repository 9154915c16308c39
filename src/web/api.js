// Calls to the ticket API with the session's bearer token; a 401 ends the session.

import { apiBase, endSession, session } from './session.js';

let skewMs = 0;

/** The server's clock, as far as its Date headers tell (for "updated since" after a reconnect). */
export const serverNow = () => Date.now() + skewMs;

export class ApiError extends Error {
    constructor(status, message) {
        super(status === 403
            ? `Your role (${session.role ?? 'none'}) may not do this. ${message ?? ''}`.trim()
            : message ?? `The server answered HTTP ${status}.`);
        this.status = status;
    }
}

async function call(path, { method = 'GET', query = {}, body, accept = 'application/json' } = {}) {
    const url = new URL(path, apiBase);
    for (const [name, value] of Object.entries(query)) {
        if (value !== undefined && value !== '' && value !== null) url.searchParams.set(name, String(value));
    }
    const headers = { accept };
    if (session.token) headers.authorization = `Bearer ${session.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    const date = Date.parse(response.headers.get('date') ?? '');
    if (!Number.isNaN(date)) skewMs = date - Date.now();
    if (response.status === 401) endSession('Your session has ended. Sign in again.');
    if (!response.ok) {
        const payload = await response.json().catch(() => ({}));
        throw new ApiError(response.status, payload.error);
    }
    return response;
}

export const apiGet = async (path, query) => (await call(path, { query })).json();
export const apiPost = async (path, body) => (await call(path, { method: 'POST', body })).json();

/** Downloads a CSV the API builds (the token travels in a header, so a plain link cannot do it). */
export async function apiDownload(path, query) {
    const response = await call(path, { query, accept: 'text/csv' });
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'export.csv';
    const href = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
