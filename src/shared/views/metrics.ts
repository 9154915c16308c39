import { z } from 'zod';

import type { Ticket } from '../domain';

const StatsSchema = z.object({
    tickets: z.number().int(),
    recovered: z.number().int().describe('auto-healed or resolved'),
    autoHealed: z.number().int(),
    escalated: z.number().int().describe('handed to a person: status escalated, or a decision not to auto-heal'),
    autoHealRate: z.number().nullable().describe('autoHealed / (autoHealed + escalated)'),
    mttrSeconds: z.object({ median: z.number().nullable(), p90: z.number().nullable() }).describe('recovered tickets only; nearest rank'),
    attemptsPerTicket: z.number().nullable(),
});
export type Stats = z.infer<typeof StatsSchema>;

export const MetricsReportSchema = z.object({
    window: z.object({ from: z.string(), to: z.string() }),
    overall: StatsSchema,
    byStatus: z.record(z.string(), z.number().int()),
    byErrorClass: z.array(StatsSchema.extend({ errorClass: z.string() })),
    byPipeline: z.array(StatsSchema.extend({ pipeline: z.string() })),
    mttrOverTime: z.array(z.object({ bucket: z.string(), recovered: z.number().int(), medianSeconds: z.number().nullable() })),
});
export type MetricsReport = z.infer<typeof MetricsReportSchema>;

export const WINDOWS = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30, '90d': 24 * 90 } as const;

/** Nearest-rank quantile of ascending values; null for none. */
export function quantile(sorted: number[], q: number): number | null {
    if (sorted.length === 0) return null;
    return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

const isRecovered = (t: Ticket) => t.status === 'auto_healed' || t.status === 'resolved';
const isEscalated = (t: Ticket) => t.status === 'escalated' || (t.autoHeal === false && t.status !== 'auto_healed');

export function stats(tickets: Ticket[]): Stats {
    const recovered = tickets.filter(isRecovered);
    const autoHealed = tickets.filter((t) => t.status === 'auto_healed').length;
    const escalated = tickets.filter(isEscalated).length;
    const mttr = recovered.map((t) => t.mttrSeconds).filter((s): s is number => typeof s === 'number').sort((a, b) => a - b);
    const decided = autoHealed + escalated;
    return {
        tickets: tickets.length,
        recovered: recovered.length,
        autoHealed,
        escalated,
        autoHealRate: decided > 0 ? autoHealed / decided : null,
        mttrSeconds: { median: quantile(mttr, 0.5), p90: quantile(mttr, 0.9) },
        attemptsPerTicket: tickets.length > 0 ? tickets.reduce((n, t) => n + t.attempts, 0) / tickets.length : null,
    };
}

function groupBy(tickets: Ticket[], key: (t: Ticket) => string): Map<string, Ticket[]> {
    const groups = new Map<string, Ticket[]>();
    for (const t of tickets) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
    return groups;
}

/** MTTR, auto-heal rate, escalations and attempts over tickets created in [from, to), overall and broken down. */
export function computeMetrics(all: Ticket[], from: Date, to: Date): MetricsReport {
    const [f, t] = [from.toISOString(), to.toISOString()];
    const tickets = all.filter((x) => x.createdAt >= f && x.createdAt < t);
    const byStatus: Record<string, number> = {};
    for (const x of tickets) byStatus[x.status] = (byStatus[x.status] ?? 0) + 1;
    const byErrorClass = [...groupBy(tickets, (x) => x.category ?? 'unclassified')]
        .map(([errorClass, group]) => ({ errorClass, ...stats(group) }))
        .sort((a, b) => b.tickets - a.tickets || a.errorClass.localeCompare(b.errorClass));
    const byPipeline = [...groupBy(tickets, (x) => x.pipeline)]
        .map(([pipeline, group]) => ({ pipeline, ...stats(group) }))
        .sort((a, b) => b.tickets - a.tickets || a.pipeline.localeCompare(b.pipeline));
    return { window: { from: f, to: t }, overall: stats(tickets), byStatus, byErrorClass, byPipeline, mttrOverTime: overTime(tickets, from, to) };
}

/** Median MTTR of recovered tickets per hour (windows up to two days) or per day, by closing time. */
function overTime(tickets: Ticket[], from: Date, to: Date): MetricsReport['mttrOverTime'] {
    const step = to.getTime() - from.getTime() <= 48 * 3600_000 ? 3600_000 : 24 * 3600_000;
    const start = Math.floor(from.getTime() / step) * step;
    const buckets: MetricsReport['mttrOverTime'] = [];
    for (let at = start; at < to.getTime(); at += step) {
        const mttr = tickets
            .filter((x) => isRecovered(x) && x.closedAt && typeof x.mttrSeconds === 'number')
            .filter((x) => Date.parse(x.closedAt!) >= at && Date.parse(x.closedAt!) < at + step)
            .map((x) => x.mttrSeconds!)
            .sort((a, b) => a - b);
        buckets.push({ bucket: new Date(at).toISOString(), recovered: mttr.length, medianSeconds: quantile(mttr, 0.5) });
    }
    return buckets;
}
