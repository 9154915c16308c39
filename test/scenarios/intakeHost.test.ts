import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { odata, TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';

import { type DevHost, startDevHost } from '../../devhost/host';
import { loadCase } from '../../devhost/sandbox';
import { getDeps } from '../../src/shared/deps';
import { CASES } from './runScenario';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (name: string) => readFileSync(join(CASES, name), 'utf8');
const C14 = join(CASES, 'C14-adf-2108-transient-endpoint.json');
const FINAL = new Set(['Completed', 'Failed', 'Terminated']);

/** The storm-free end-to-end checks of intake on the embedded runtime (real time, C14's scripted ADF answers). */
describe('intake on the embedded runtime', () => {
    let host: DevHost;
    const post = (body: string, path = '/api/alerts/azure-monitor') =>
        fetch(`${host.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-functions-key': host.functionKey }, body });
    const settled = async () => {
        for (let i = 0; i < 600; i++) {
            const all = await host.engine.list();
            if (all.length > 0 && all.every((o) => FINAL.has(String(o['runtimeStatus'])))) return all;
            await sleep(100);
        }
        throw new Error('orchestrations did not finish');
    };
    const table = (name: string) => TableClient.fromConnectionString(host.env['STORAGE_CONNECTION_STRING']!, name, { allowInsecureConnection: true });

    before(async () => {
        host = await startDevHost({
            port: 0,
            sandbox: { mode: 'script', mocks: loadCase(C14).mocks },
            env: { POLL_INTERVAL_SECONDS: '1', RETRY_BASE_DELAY_SECONDS: '1', CAPACITY_RETRY_DELAY_SECONDS: '1' },
            log: () => undefined,
        });
    });
    after(async () => host?.close());

    it('answers 503 (Retry-After) while storage is down, keeps nothing half-done, and takes the retry', async () => {
        const body = text('C14-adf-2108-transient-endpoint.json');
        const alert = JSON.stringify((JSON.parse(body) as { steps: { request: { body: unknown } }[] }).steps[0]!.request.body);
        host.storageFaults.push({ status: 503 });
        const down = await post(alert);
        host.storageFaults.splice(0);
        assert.equal(down.status, 503);
        assert.equal(down.headers.get('retry-after'), '30');
        assert.doesNotMatch(await down.text(), /\n\s+at /);
        assert.deepEqual(await host.engine.list(), [], 'nothing started');
        const retry = await post(alert);
        assert.equal(retry.status, 202);
        const answer = (await retry.json()) as { ticketId: string; tickets: { duplicate: boolean }[] };
        assert.equal(answer.tickets[0]?.duplicate, false);
        await settled();
        const ticket = await getDeps().tickets.get(answer.ticketId);
        assert.equal(ticket?.status, 'auto_healed');
        assert.deepEqual(ticket?.rerunRunIds, ['c8d9e0f1-2a3b-4c5d-8e6f-7a8b9c0d1e2f']);
    });

    it('counts the failure alert of our own rerun on the ticket that made it, opening nothing', async () => {
        const parent = (await host.engine.list())[0]!['instanceId'] as string;
        const c14 = JSON.parse(text('C14-adf-2108-transient-endpoint.json')) as { steps: { request: { body: { data: { alertContext: { condition: { allOf: { dimensions: { name: string; value: string }[] }[] } } } } } }[] };
        const rerunAlert = structuredClone(c14.steps[0]!.request.body);
        rerunAlert.data.alertContext.condition.allOf[0]!.dimensions.find((d) => d.name === 'RunId')!.value = 'c8d9e0f1-2a3b-4c5d-8e6f-7a8b9c0d1e2f';
        const res = await post(JSON.stringify(rerunAlert));
        assert.equal(res.status, 202);
        const answer = (await res.json()) as { ticketId: string; tickets: { duplicate: boolean; rerunOf?: string }[] };
        assert.equal(answer.ticketId, parent);
        assert.equal(answer.tickets[0]?.duplicate, true);
        assert.ok(answer.tickets[0]?.rerunOf);
        assert.equal((await host.engine.list()).length, 1, 'no ticket, no remediation for the rerun');
        assert.equal((await getDeps().tickets.get(parent))?.relatedAlerts, 2);
    });

    it('archives the raw body in Blob before the 202, and keeps only a reference in the table (C10, 0.7 MB)', async () => {
        const body = text('C10-legacy-large-payload-1000-rows.json');
        const res = await post(body);
        assert.equal(res.status, 202);
        const { tickets } = (await res.json()) as { tickets: { ticketId: string }[] };
        assert.equal(tickets.length, 12);
        const rows = table('alerts').listEntities<{ payloadBlob: string }>({ queryOptions: { filter: odata`PartitionKey eq ${tickets[0]!.ticketId}` } });
        const row = (await rows.next()).value as Record<string, unknown> & { payloadBlob: string };
        assert.ok(JSON.stringify(row).length < 2000, 'no payload in a table property');
        const blobs = BlobServiceClient.fromConnectionString(host.env['STORAGE_CONNECTION_STRING']!);
        const archived = await blobs.getContainerClient('audit-logs').getBlockBlobClient(row.payloadBlob).downloadToBuffer();
        assert.equal(archived.toString('utf8'), body);
        await settled();
    });

    it('a metric alert retried by Azure starts one run lookup, and its Resolved annotates the ticket it opened', async () => {
        const c13 = JSON.parse(text('C13-alertcontext-null.json')) as { data: { essentials: Record<string, unknown> } };
        const [a, b] = await Promise.all([post(JSON.stringify(c13)), post(JSON.stringify(c13))]);
        const answers = (await Promise.all([a.json(), b.json()])) as { lookupId: string; duplicate: boolean }[];
        assert.deepEqual(answers.map((x) => x.duplicate).sort(), [false, true]);
        await settled();
        const lookups = (await host.engine.list()).filter((o) => String(o['instanceId']).startsWith('lookup-'));
        assert.equal(lookups.length, 1);
        const opened = (lookups[0]!['output'] as { ticketIds: string[] }).ticketIds;
        assert.equal(opened.length, 1);
        assert.equal((await getDeps().tickets.get(opened[0]!))?.relatedAlerts, 2, 'both deliveries counted on the ticket');
        c13.data.essentials['monitorCondition'] = 'Resolved';
        c13.data.essentials['resolvedDateTime'] = '2025-03-14T08:10:00Z';
        const resolved = (await (await post(JSON.stringify(c13))).json()) as { ticketIds: string[] };
        assert.deepEqual(resolved.ticketIds, opened);
        await settled();
        const events = await getDeps().audit.list(opened[0]!);
        assert.equal(events.filter((e) => e.type === 'alert_resolved').length, 1);
        assert.equal((await getDeps().tickets.get(opened[0]!))?.relatedAlerts, 2, 'a Resolved is not a related alert');
    });
});
