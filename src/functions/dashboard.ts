import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const WEB_ROOT = join(__dirname, '..', 'web');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** The dashboard's static files, served by the app itself (no CDN). Only known file names are served. */
export async function dashboard(request: HttpRequest): Promise<HttpResponseInit> {
    const file = (request.params['file'] || 'dashboard.html').replace(/^assets\//, '');
    if (!/^[a-z]+\.(html|js|css)$/.test(file)) return { status: 404 };
    try {
        const body = await readFile(join(WEB_ROOT, file));
        return {
            status: 200,
            body,
            headers: {
                'content-type': TYPES[file.slice(file.lastIndexOf('.'))]!,
                'cache-control': 'no-cache',
                'x-content-type-options': 'nosniff',
                'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; script-src 'self'",
            },
        };
    } catch {
        return { status: 404 };
    }
}

app.http('dashboard', { route: 'dashboard/{*file}', methods: ['GET'], authLevel: 'anonymous', handler: dashboard });
