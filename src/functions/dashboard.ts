import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const WEB_ROOT = join(__dirname, '..', 'web');
const FILES: Record<string, string> = {
    'dashboard.html': 'text/html; charset=utf-8',
    'dashboard.js': 'text/javascript; charset=utf-8',
    'dashboard.css': 'text/css; charset=utf-8',
};

/** The page's one inline script (its asset loader) is allowed by hash; nothing else inline runs. */
function contentSecurityPolicy(html: string): string {
    const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
        (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
    );
    return `default-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; img-src 'self' data:; script-src 'self' ${hashes.join(' ')}; frame-ancestors 'none'`;
}

/** The dashboard's static files, served by the app itself (no CDN). Only the three known files are served. */
export async function dashboard(request: HttpRequest): Promise<HttpResponseInit> {
    const file = (request.params['file'] || 'dashboard.html').split('/').pop() ?? '';
    const type = FILES[file];
    if (!type) return { status: 404 };
    const body = await readFile(join(WEB_ROOT, file));
    const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
    if (file.endsWith('.html')) headers['content-security-policy'] = contentSecurityPolicy(body.toString('utf8'));
    return { status: 200, body, headers };
}

app.http('dashboard', { route: 'dashboard/{*file}', methods: ['GET'], authLevel: 'anonymous', handler: dashboard });
