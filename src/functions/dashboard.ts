import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

const WEB_ROOT = join(__dirname, '..', 'web');
const TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml',
};
// Scripts and styles come from files of this app only: no inline script, no CDN.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; " +
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

let files: Promise<Set<string>> | undefined;
/** The servable files: plain names in src/web with a known type (no paths, so nothing outside it is reachable). */
const servable = () => (files ??= readdir(WEB_ROOT).then((names) => new Set(names.filter((n) => /^[a-z][a-z0-9-]*\.[a-z]+$/.test(n) && TYPES[extname(n)]))));

/** The dashboard and the API docs page (static files, served by the app itself). Anonymous: the data needs a token. */
export async function dashboard(request: HttpRequest): Promise<HttpResponseInit> {
    const file = (request.params['file'] || 'dashboard.html').split('/').pop() ?? '';
    if (!(await servable()).has(file)) return { status: 404 };
    const body = await readFile(join(WEB_ROOT, file));
    const headers: Record<string, string> = {
        'content-type': TYPES[extname(file)]!, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
    };
    if (file.endsWith('.html')) headers['content-security-policy'] = CSP;
    return { status: 200, body, headers };
}

app.http('dashboard', { route: 'dashboard/{*file}', methods: ['GET'], authLevel: 'anonymous', handler: dashboard });
