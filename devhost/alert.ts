import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECT_ROOT } from './host';

/** `npm run alert -- NAME|FILE`: makes the sandbox fail a pipeline or job and posts the resulting alert. */
async function main(): Promise<void> {
    const target = process.argv[2];
    if (!target) throw new Error('usage: npm run alert -- <pipeline or job name | alert JSON file>');
    let endpoints: { url: string; functionKey: string; sandbox?: string };
    try {
        endpoints = JSON.parse(readFileSync(join(PROJECT_ROOT, '.devhost', 'endpoints.json'), 'utf8'));
    } catch {
        throw new Error('no running devhost found: start it with `npm start` first');
    }
    const key = encodeURIComponent(endpoints.functionKey);
    let path = '/api/alerts/azure-monitor';
    let body: unknown;
    if (target.endsWith('.json')) {
        body = JSON.parse(readFileSync(target, 'utf8'));
        if ((body as { event_type?: string }).event_type) path = '/api/alerts/databricks';
    } else {
        if (!endpoints.sandbox) throw new Error('the devhost runs without its sandbox; post an alert file instead');
        const isJob = !target.startsWith('pl_');
        const res = await fetch(`${endpoints.sandbox}/sandbox/${isJob ? 'databricks' : 'adf'}/fail/${encodeURIComponent(target)}`, { method: 'POST' });
        const made = (await res.json()) as { alert?: unknown; notification?: unknown; error?: string };
        if (!res.ok) throw new Error(`sandbox refused: ${made.error ?? JSON.stringify(made)}`);
        body = isJob ? made.notification : made.alert;
        if (isJob) path = '/api/alerts/databricks';
    }
    const t0 = performance.now();
    const res = await fetch(`${endpoints.url}${path}?code=${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
    });
    const answer = await res.text();
    console.log(`${res.status} in ${(performance.now() - t0).toFixed(0)} ms: ${answer}`);
    console.log(`Watch it: ${endpoints.url}/api/dashboard?code=${key}`);
}

main().catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
});
