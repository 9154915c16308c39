import { spawnSync } from 'node:child_process';

import type { Figures } from './load';
import { ackPhase, type AckResult, stormPhase, type StormResult } from './phases';

/**
 * `npm run bench`: the alert webhook's acknowledgement time and throughput on the devhost (in-process: the app,
 * Azurite, the durable engine and the sandbox share this machine's CPU), each beside a floor measured in the
 * same run at the same concurrency: a bare endpoint doing one Table insert per alert against the same storage
 * endpoint. Then the storm. Each phase runs in a fresh process on a fresh Azurite. A report: nothing fails.
 */
const PHASES = [
    { name: '1 concurrent', args: ['ack', '1', '300', 'paused'] },
    { name: '1 concurrent', args: ['ack', '1', '300', 'running'] },
    { name: '50 concurrent', args: ['ack', '50', '1000', 'paused'] },
    { name: '50 concurrent', args: ['ack', '50', '1000', 'running'] },
];

const ms = (v: number) => `${v.toFixed(1)} ms`;

function row(name: string, w: Figures, f: Figures): string {
    const p99 = w.p99 / f.p99;
    const rate = w.perSecond / f.perSecond;
    return [
        name.padEnd(34), `${ms(w.p50)} / ${ms(w.p99)}`.padEnd(21), `${w.perSecond.toFixed(0)}/s`.padEnd(7),
        `${ms(f.p50)} / ${ms(f.p99)}`.padEnd(19), `${f.perSecond.toFixed(0)}/s`.padEnd(7),
        `p99 x${p99.toFixed(1)} ${p99 <= 2 ? 'ok' : 'over 2x'}`.padEnd(18), `rate x${rate.toFixed(2)} ${rate >= 0.5 ? 'ok' : 'under 0.5x'}`,
    ].join(' ');
}

function child(args: string[]): unknown {
    const out = spawnSync(process.execPath, ['--import', 'tsx', __filename, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 60 * 60_000 });
    if (out.status !== 0) throw new Error(`phase ${args.join(' ')} failed: ${out.stderr.slice(-2000)}`);
    return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as unknown;
}

async function main(args: string[]): Promise<void> {
    if (args[0] === 'ack') {
        process.stdout.write(`${JSON.stringify(await ackPhase(Number(args[1]), Number(args[2]), args[3] === 'paused'))}\n`);
        return;
    }
    if (args[0] === 'storm') {
        process.stdout.write(`${JSON.stringify(await stormPhase())}\n`);
        return;
    }
    const say = (line: string) => process.stdout.write(`${line}\n`);
    say('phase                              webhook p50 / p99     rate    floor p50 / p99     floor   ratios (target: p99 <= 2x, rate >= 0.5x)');
    for (const phase of PHASES) {
        const r = child(phase.args) as AckResult;
        const mode = phase.args[3] === 'paused' ? 'intake only' : 'remediations running';
        const refused = Object.entries(r.statuses).filter(([s]) => s !== '202');
        say(row(`${phase.name}, ${mode}`, r.webhook, r.floor) + (refused.length ? `  answers ${JSON.stringify(r.statuses)}` : ''));
    }
    const s = child(['storm']) as StormResult;
    say(row('storm, 50 senders', s.webhook, s.floor));
    say('');
    say(`storm: ${s.alerts} alerts over ${s.runs} failed runs sent in ${s.elapsedS.toFixed(1)} s; answers ${JSON.stringify(s.statuses)}`);
    say(`  tickets ${s.tickets} for ${s.runs} distinct runs (runs without a ticket: ${s.runsWithoutTicket})`);
    say(`  lost alerts ${s.alerts - s.accepted + Math.max(0, s.accepted - s.countedOnTickets)} (accepted ${s.accepted}, counted on tickets ${s.countedOnTickets})`);
    say(`  duplicate remediations ${s.duplicateCreateRuns} (createRun for ${s.rerunRuns} runs; auto-healed ${s.autoHealed}); settled ${s.settleS.toFixed(0)} s after the last answer`);
}

main(process.argv.slice(2)).then(
    () => process.exit(0),
    (e: unknown) => {
        process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
        process.exit(1);
    },
);
