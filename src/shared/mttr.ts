/**
 * Time to repair, for tickets that were repaired: from the alert's firing (when the failure was known), unless
 * the alert is a replay or backfill fired long before we saw it, where our ticket's creation is the honest start.
 */
export function timeToRepair(firedAt: string, createdAt: string | undefined, closedAt: Date): number {
    const created = Date.parse(createdAt ?? closedAt.toISOString());
    const fired = Date.parse(firedAt);
    const start = Number.isFinite(fired) && created - fired <= 24 * 3600_000 ? Math.min(fired, created) : created;
    return Math.max(0, Math.round((closedAt.getTime() - start) / 1000));
}
