import { readFileSync } from 'node:fs';

import { alertPath, readDevhostEndpoints } from './endpoints';

/** `npm run alert -- NAME|FILE`: makes the sandbox fail a pipeline or job and posts the resulting alert. */
async function main(): Promise<void> {
    const target = process.argv[2];
    if (!target || target === '--help' || target === '-h') {
        throw new Error(
            'usage: npm run --silent alert -- <sandbox pipeline or job name | alert JSON file>\n' +
                '  a name makes the running devhost\'s sandbox fail that pipeline or job and posts the alert it produces;\n' +
                '  a .json file is posted as is (a Databricks notification if it has event_type, else an Azure Monitor alert)',
        );
    }
    const endpoints = readDevhostEndpoints();
    const key = encodeURIComponent(endpoints.functionKey);
    let path: string = '/api/alerts/azure-monitor';
    let body: unknown;
    if (target.endsWith('.json')) {
        body = JSON.parse(readFileSync(target, 'utf8'));
        path = alertPath(body);
    } else {
        if (!endpoints.sandbox) throw new Error('the devhost runs without its sandbox; post an alert file instead');
        const fail = async (kind: 'adf' | 'databricks') => {
            const res = await fetch(`${endpoints.sandbox}/sandbox/${kind}/fail/${encodeURIComponent(target)}`, { method: 'POST' });
            return { ok: res.ok, made: (await res.json()) as { alert?: unknown; notification?: unknown; error?: string } };
        };
        const adf = await fail('adf');
        const dbx = adf.ok ? undefined : await fail('databricks');
        if (!adf.ok && !dbx?.ok) throw new Error(`the sandbox knows no pipeline or job "${target}": ${adf.made.error ?? ''}; ${dbx?.made.error ?? ''}`);
        body = adf.ok ? adf.made.alert : dbx!.made.notification;
        if (!adf.ok) path = '/api/alerts/databricks';
    }
    const t0 = performance.now();
    const res = await fetch(`${endpoints.url}${path}?code=${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
    });
    const answer = await res.text();
    console.log(`${res.status} in ${(performance.now() - t0).toFixed(0)} ms: ${answer}`);
    console.log(`Watch it: ${endpoints.url}/api/dashboard`);
}

main().catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
});
