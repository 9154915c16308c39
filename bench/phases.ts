import { type DevHost, startDevHost } from '../devhost/host';
import { getDeps } from '../src/shared/deps';
import { logAlert, pipelineOf, runIdOf, shuffled, stormMocks } from './alerts';
import { startFloor } from './floor';
import { figures, type Figures, load } from './load';

export interface AckResult {
    webhook: Figures;
    floor: Figures;
    statuses: Record<number, number>;
}

export interface StormResult {
    alerts: number;
    runs: number;
    webhook: Figures;
    floor: Figures;
    elapsedS: number;
    statuses: Record<number, number>;
    tickets: number;
    runsWithoutTicket: number;
    accepted: number;
    countedOnTickets: number;
    rerunRuns: number;
    duplicateCreateRuns: number;
    autoHealed: number;
    settleS: number;
}

const FINAL = new Set(['Completed', 'Failed', 'Terminated']);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function host(mocks = stormMocks([], [])): Promise<DevHost> {
    return startDevHost({
        port: 0,
        sandbox: { mode: 'script', mocks },
        env: { POLL_INTERVAL_SECONDS: '1', RETRY_BASE_DELAY_SECONDS: '1', CAPACITY_RETRY_DELAY_SECONDS: '1' },
        log: () => undefined,
    });
}

async function drained(h: DevHost, limitMs = 30 * 60_000): Promise<void> {
    const start = performance.now();
    while (performance.now() - start < limitMs) {
        const all = await h.engine.list();
        if (all.every((o) => FINAL.has(String(o['runtimeStatus']))) && h.engine.isIdle()) return;
        await sleep(500);
    }
    throw new Error('orchestrations did not finish within the limit');
}

/**
 * Acknowledgement of `alerts` distinct failed runs at `concurrency`, beside the floor at the same concurrency.
 * `paused`: the durable engine is stopped first, so the remediations the alerts start do not share this
 * process's CPU with the webhook (on Azure they run on other workers); otherwise they run alongside.
 */
export async function ackPhase(concurrency: number, alerts: number, paused: boolean): Promise<AckResult> {
    const h = await host();
    const floor = await startFloor(h.env['STORAGE_CONNECTION_STRING']!);
    const url = `${h.url}/api/alerts/azure-monitor`;
    const key = { 'x-functions-key': h.functionKey };
    const bodies = (tag: string, n: number) => range(n).map((i) => logAlert(pipelineOf(i), runIdOf(tag, i)));
    try {
        await load(floor.url, bodies('fw', 50), concurrency);
        await load(url, bodies('ww', 50), concurrency, key);
        await drained(h);
        if (paused) h.engine.stop();
        const f = figures(await load(floor.url, bodies('f', alerts), concurrency));
        const w = await load(url, bodies('b', alerts), concurrency, key);
        return { webhook: figures(w), floor: f, statuses: w.statuses };
    } finally {
        await floor.close();
        await h.close();
    }
}

/** 1,000 alerts over 250 failed runs from 50 senders; counted once every remediation has finished. */
export async function stormPhase(alerts = 1000, runs = 250): Promise<StormResult> {
    const runIds = range(runs).map((i) => runIdOf('5707a000', i));
    const pipelines = range(runs).map(pipelineOf);
    const h = await host(stormMocks(runIds, pipelines));
    const floor = await startFloor(h.env['STORAGE_CONNECTION_STRING']!);
    try {
        const order = shuffled(range(alerts).map((i) => i % runs));
        const f = figures(await load(floor.url, order.map((i) => logAlert(pipelines[i]!, `floor-${i}`)), 50));
        const storm = await load(`${h.url}/api/alerts/azure-monitor`, order.map((i) => logAlert(pipelines[i]!, runIds[i]!)), 50, { 'x-functions-key': h.functionKey });
        const t0 = performance.now();
        await drained(h);
        const settleS = (performance.now() - t0) / 1000;
        const deps = getDeps();
        const ours = new Set(runIds);
        const tickets = await deps.tickets.withDeliveryCounts((await deps.tickets.list()).filter((t) => ours.has(t.runId)));
        const creates = new Map<string, number>();
        for (const c of h.sandbox!.calls) {
            const ref = /\/createRun\?/.test(c.url) ? new URL(c.url).searchParams.get('referencePipelineRunId') : null;
            if (ref && ours.has(ref)) creates.set(ref, (creates.get(ref) ?? 0) + 1);
        }
        return {
            alerts, runs, webhook: figures(storm), floor: f, elapsedS: storm.elapsedMs / 1000, statuses: storm.statuses,
            tickets: tickets.length, runsWithoutTicket: runs - new Set(tickets.map((t) => t.runId)).size,
            accepted: storm.statuses[202] ?? 0, countedOnTickets: tickets.reduce((n, t) => n + t.relatedAlerts, 0),
            rerunRuns: creates.size, duplicateCreateRuns: [...creates.values()].reduce((n, k) => n + Math.max(0, k - 1), 0),
            autoHealed: tickets.filter((t) => t.status === 'auto_healed').length, settleS,
        };
    } finally {
        await floor.close();
        await h.close();
    }
}
