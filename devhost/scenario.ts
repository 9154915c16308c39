import FakeTimers from '@sinonjs/fake-timers';
import { parseArgs } from 'node:util';

import { getDeps } from '../src/shared/deps';
import { startDevHost, type DevHost } from './host';
import { applyVariant, type CaseStep, type HttpStep, isHttpStep, loadCase, type LoadedCase } from './sandbox';

const FOURTEEN_DAYS = 14 * 24 * 3600 * 1000;
const REAL_TIME_LIMIT_MS = 10 * 60 * 1000;
const SUPPORTED = 'http, inject-latency (target ticket-store), chaos (host restart)';

/** A host restart armed by a trigger ("after 2nd GET of the new pipeline run"), fired when it holds. */
interface PendingChaos {
    when: (calls: { method: string; url: string }[]) => boolean;
    restartAfterMs: number;
}
const pendingChaos: PendingChaos[] = [];

function chaosTrigger(trigger: string, index: number): PendingChaos['when'] {
    const m = /after (\d+)(?:st|nd|rd|th) (GET|POST) of the new pipeline run/i.exec(trigger);
    if (!m) throw new Error(`step ${index}: chaos trigger "${trigger}" is not understood; supported: "after Nth GET of the new pipeline run"`);
    const [, nth, method] = m;
    return (calls) => {
        // The first pipeline run read is the failed one; "the new run" is any other run id read afterwards.
        const ids = calls.map((c) => /\/pipelineruns\/([^/?]+)\?/i.exec(c.url)?.[1]).filter((id): id is string => !!id);
        const failed = ids[0];
        return calls.filter((c) => c.method === method && new RegExp(`/pipelineruns/(?!${failed})[^/?]+\\?`, 'i').test(c.url)).length >= Number(nth);
    };
}

function restartDelayMs(what: string): number {
    const seconds = /restart it (\d+) ?s later/i.exec(what)?.[1];
    return seconds ? Number(seconds) * 1000 : 0;
}

interface StepResponse {
    step: number;
    status: number;
    body: unknown;
    ms: number;
}

/** Where the virtual clock starts: the case's clockStart, else just after the alert fired, else now. */
function clockStartOf(loaded: LoadedCase): number {
    if (loaded.config.clockStart) return Date.parse(loaded.config.clockStart);
    const first = loaded.steps.find(isHttpStep);
    const fired = (first?.request.body as { data?: { essentials?: { firedDateTime?: string } } } | undefined)?.data?.essentials?.firedDateTime;
    const parsed = fired ? Date.parse(fired) : NaN;
    return Number.isFinite(parsed) ? Math.ceil(parsed / 1000) * 1000 + 30_000 : Date.now();
}

async function sendStep(host: DevHost, index: number, step: HttpStep): Promise<StepResponse> {
    const { method, path, headers, body, rawBody } = step.request;
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    if (!('x-functions-key' in lower) && !/[?&]code=/.test(path)) lower['x-functions-key'] = host.functionKey;
    // A step without headers is sent as its sender would: Azure Monitor and Databricks post application/json.
    if (body !== undefined && !('content-type' in lower)) lower['content-type'] = 'application/json';
    const started = performance.now();
    const res = await fetch(`${host.url}${path}`, {
        method,
        headers: lower,
        body: method === 'GET' || method === 'HEAD' ? undefined : rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
        parsed = text ? JSON.parse(text) : null;
    } catch {
        /* keep the text */
    }
    return { step: index, status: res.status, body: parsed, ms: Math.round(performance.now() - started) };
}

/** Applies a non-HTTP step, or explains why it cannot. */
async function otherStep(host: DevHost, step: CaseStep, index: number): Promise<void> {
    if (step.action === 'inject-latency' && step['target'] === 'ticket-store') {
        // Storage holds every ticket-table request until the window closes (real time: the latency is real).
        const releaseAt = performance.now() + Number(step['latencyMs'] ?? 0);
        host.storageFaults.push({ pathPrefix: '/devstoreaccount1/tickets', releaseAt });
        return;
    }
    if (step.action === 'chaos' && /kill|restart/i.test(String(step['do'] ?? ''))) {
        const trigger = (step as { trigger?: unknown }).trigger;
        if (trigger !== undefined) {
            pendingChaos.push({ when: chaosTrigger(String(trigger), index), restartAfterMs: restartDelayMs(String(step['do'])) });
            return;
        }
        await host.restart();
        return;
    }
    const target = (step as { target?: unknown }).target;
    throw new Error(`step ${index}: action "${step.action}"${target ? ` (target ${String(target)})` : ''} is not supported by this runner; it supports ${SUPPORTED}`);
}

async function run(file: string, variant: string | undefined, verbose: boolean): Promise<unknown> {
    let loaded = loadCase(file);
    if (variant) loaded = applyVariant(loaded, variant);
    const unsupported = loaded.steps.find((s) => !isHttpStep(s) && !['inject-latency', 'chaos'].includes(s.action));
    if (unsupported) {
        throw new Error(`step ${loaded.steps.indexOf(unsupported)}: action "${unsupported.action}" is not supported by this runner; it supports ${SUPPORTED}`);
    }

    const start = clockStartOf(loaded);
    const clock = FakeTimers.install({ now: start, toFake: ['Date'] });
    const logs: string[] = [];
    const log = (line: string) => (verbose ? process.stderr.write(`${line}\n`) : logs.push(line));
    const config = loaded.config as Record<string, unknown>;
    const env: Record<string, string> = { POLL_INTERVAL_SECONDS: String(config['pollIntervalSeconds'] ?? 30) };
    if (config['maxAutoHealAttempts'] !== undefined) {
        // The case's budget is the ticket's: it caps every class, capacity included.
        env['MAX_AUTO_HEAL_ATTEMPTS'] = String(config['maxAutoHealAttempts']);
        env['CAPACITY_MAX_ATTEMPTS'] = String(config['maxAutoHealAttempts']);
    }
    if (config['maxPollDurationMinutes'] !== undefined) env['RUN_DEADLINE_MINUTES'] = String(config['maxPollDurationMinutes']);
    const host = await startDevHost({
        port: 0,
        sandbox: { mode: 'script', mocks: loaded.mocks },
        clock: () => Date.now(),
        virtualTime: true,
        env,
        log,
    });
    const responses: StepResponse[] = [];
    const realStart = performance.now();
    let restarts = 0;
    try {
        const steps = [...loaded.steps.entries()].sort((a, b) => a[1].atMs - b[1].atMs);
        const parallel = config['parallel'] === true;
        let next = 0;
        for (;;) {
            if (performance.now() - realStart > REAL_TIME_LIMIT_MS) throw new Error('scenario did not settle within 10 real minutes');
            await host.engine.whenIdle();
            const armed = pendingChaos.findIndex((c) => c.when(host.sandbox?.calls ?? []));
            if (armed >= 0) {
                const [chaos] = pendingChaos.splice(armed, 1);
                await host.restart();
                clock.setSystemTime(Date.now() + chaos!.restartAfterMs);
                restarts++;
                host.engine.pump();
                continue;
            }
            const now = Date.now();
            if (now - start > FOURTEEN_DAYS) break;
            const step = steps[next];
            const stepAt = step ? start + step[1].atMs : undefined;
            const dueAt = host.engine.nextDueAt();
            if (step && stepAt !== undefined && (dueAt === undefined || stepAt <= dueAt)) {
                clock.setSystemTime(Math.max(now, stepAt));
                if (parallel) {
                    // A race: every HTTP step goes out at once.
                    const batch = steps.slice(next).filter(([, s]) => isHttpStep(s)) as [number, HttpStep][];
                    responses.push(...(await Promise.all(batch.map(([i, s]) => sendStep(host, i, s)))));
                    next = steps.length;
                } else {
                    const [index, s] = step;
                    if (isHttpStep(s)) responses.push(await sendStep(host, index, s));
                    else await otherStep(host, s, index);
                    next++;
                }
                continue;
            }
            if (dueAt === undefined) break;
            clock.setSystemTime(Math.max(now, dueAt));
            host.engine.pump();
        }
        // Read from the store itself: the ticket API needs a user token, and the report wants every ticket.
        const store = getDeps().tickets;
        const tickets = (await store.withDeliveryCounts(await store.list())) as unknown as Record<string, unknown>[];
        const timeline = async (id: string) => (await getDeps().audit.list(id)).map((e) => ({ type: e.type, summary: e.summary, at: e.at }));
        const events = new Map(await Promise.all(tickets.map(async (t) => [t['id'], await timeline(String(t['id']))] as const)));
        const orchestrations = (await host.engine.list()).map((o) => ({ instanceId: o['instanceId'], runtimeStatus: o['runtimeStatus'] }));
        return {
            scenario: loaded.name,
            variant: variant ?? null,
            responses: responses.sort((a, b) => a.step - b.step),
            tickets: tickets.map((t) => ({
                id: t['id'], source: t['source'], status: t['status'], dedupKey: t['dedupKey'], pipeline: t['pipeline'],
                runId: t['runId'], attempts: t['attempts'], rerunRunIds: t['rerunRunIds'], category: t['category'] ?? null,
                autoHeal: t['autoHeal'] ?? false, decisionReason: t['decisionReason'] ?? null, relatedAlerts: t['relatedAlerts'],
                facts: t['facts'] ?? {}, events: events.get(t['id']) ?? [],
            })),
            calls: host.sandbox?.calls ?? [],
            violations: host.sandbox?.violations ?? [],
            orchestrations,
            restarts,
            clock: { start: new Date(start).toISOString(), end: new Date(Date.now()).toISOString() },
        };
    } catch (e) {
        if (!verbose) process.stderr.write(logs.slice(-50).join('\n') + '\n');
        throw e;
    } finally {
        await host.close();
        clock.uninstall();
    }
}

async function main(): Promise<void> {
    const { values, positionals } = parseArgs({
        allowPositionals: true,
        options: { variant: { type: 'string' }, verbose: { type: 'boolean', default: false } },
    });
    const file = positionals[0];
    if (!file) throw new Error('usage: npm run --silent scenario -- FILE [--variant NAME] [--verbose]');
    const report = await run(file, values.variant, values.verbose);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().then(
    () => process.exit(0),
    (e: unknown) => {
        process.stderr.write(`scenario runner: ${(e as Error).message}\n`);
        process.exit(2);
    },
);
