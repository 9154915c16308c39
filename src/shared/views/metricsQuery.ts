import { z } from 'zod';

import { WINDOWS } from './metrics';
import { isoTime } from './ticketQuery';

export const MetricsQuerySchema = z.object({
    window: z.enum(Object.keys(WINDOWS) as [keyof typeof WINDOWS]).default('7d').describe('the last 24h, 7d, 30d or 90d'),
    from: isoTime.optional().describe('instead of window: tickets created at or after'),
    to: isoTime.optional().describe('with from: created before (default now)'),
    format: z.enum(['json', 'prometheus']).optional().describe('default: Prometheus text when Accept asks for text/plain'),
});
export type MetricsQuery = z.infer<typeof MetricsQuerySchema>;

/** The window a metrics query covers. */
export function windowOf(q: MetricsQuery, now: Date): { from: Date; to: Date } {
    const to = q.to ? new Date(q.to) : now;
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - WINDOWS[q.window] * 3600_000);
    return { from, to };
}
