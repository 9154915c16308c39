import { readFileSync } from 'node:fs';

import { alertPath, readDevhostEndpoints } from '../devhost/endpoints';
import type { Terminal } from './terminal';

export interface SendOptions {
    file: string;
    /** The app's base URL or a full webhook URL; default: the running devhost. */
    url?: string;
    key?: string;
    timeoutMs?: number;
    fetch?: typeof fetch;
    /** Where a running devhost is described (tests point this elsewhere). */
    endpointsFile?: string;
}

export interface Target {
    url: string;
    key?: string;
}

/** Where to post: a URL with a path is used as given; a bare base URL gets the receiver the body calls for. */
export function targetFor(body: string, opts: Pick<SendOptions, 'url' | 'key' | 'endpointsFile'>): Target {
    if (!opts.url) {
        const devhost = readDevhostEndpoints(opts.endpointsFile);
        return { url: `${devhost.url}${alertPath(body)}`, key: opts.key ?? devhost.functionKey };
    }
    const url = new URL(opts.url);
    if (url.pathname === '/' || url.pathname === '') url.pathname = alertPath(body);
    return { url: url.toString(), ...(opts.key ? { key: opts.key } : {}) };
}

/** The URL without its query: a `code=` key must not reach the terminal or a log. */
function shown(url: string): string {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? ' (query hidden)' : ''}`;
}

/** Posts a recorded alert as it is on disk (raw text: Databricks ids above 2^53 stay exact). */
export async function send(opts: SendOptions, term: Terminal): Promise<number> {
    const body = readFileSync(opts.file, 'utf8');
    const target = targetFor(body, opts);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (target.key) headers['x-functions-key'] = target.key;
    const doFetch = opts.fetch ?? fetch;
    const progress = term.progress(`POST ${shown(target.url)}`);
    const t0 = performance.now();
    let res: Response;
    try {
        res = await doFetch(target.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
    } catch (e) {
        progress.done();
        const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
        term.status('fail', 'send', `POST ${shown(target.url)} failed: ${cause}`);
        return 1;
    }
    const answer = await res.text();
    progress.done();
    const ms = Math.round(performance.now() - t0);
    term.status(res.ok ? 'pass' : 'fail', `${res.status}`, `${shown(target.url)} in ${ms} ms`);
    term.line(pretty(answer));
    if (res.status === 401) term.line(term.dim('The receivers need a function key: pass --key (or a URL with ?code=).'));
    return res.ok ? 0 : 1;
}

function pretty(text: string): string {
    try {
        return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
        return text;
    }
}
