import type { TableClient } from '@azure/data-tables';

import { ensureTable, safeKey, statusOf } from './tables';

interface Row {
    partitionKey: string;
    rowKey: string;
    etag?: string;
    data?: string;
}

export interface BreakerSettings {
    failures: number;
    windowMinutes: number;
    cooldownMinutes: number;
}

/**
 * Shared control state, durable and safe under concurrency (etag-guarded rows, retried on conflicts):
 * the per-pipeline circuit breaker and the global budget of reruns in flight.
 */
export class ControlStore {
    private readonly table: () => Promise<TableClient>;

    constructor(table: TableClient) {
        this.table = ensureTable(table);
    }

    /** Read-modify-write of one JSON row; `change` returns the new value, or undefined to leave it. */
    private async update<T>(pk: string, rk: string, empty: T, change: (value: T) => T | undefined): Promise<T> {
        const table = await this.table();
        for (let tries = 0; tries < 20; tries++) {
            let row: Row | undefined;
            try {
                row = await table.getEntity<Row>(pk, rk);
            } catch (e) {
                if (statusOf(e) !== 404) throw e;
            }
            const current = row?.data ? (JSON.parse(row.data) as T) : empty;
            const next = change(current);
            if (next === undefined) return current;
            try {
                const entity = { partitionKey: pk, rowKey: rk, data: JSON.stringify(next) };
                if (row?.etag) await table.updateEntity(entity, 'Replace', { etag: row.etag });
                else await table.createEntity(entity);
                return next;
            } catch (e) {
                if (statusOf(e) !== 412 && statusOf(e) !== 409) throw e;
            }
        }
        throw new Error(`control row ${pk}/${rk} stayed contended`);
    }

    /** Whether the pipeline's breaker is open now, and until when. */
    async breaker(pipeline: string, now: Date, s: BreakerSettings): Promise<{ until: string; failures: number } | undefined> {
        const table = await this.table();
        try {
            const row = await table.getEntity<Row>('breaker', safeKey(pipeline.toLowerCase()));
            const state = JSON.parse(row.data ?? '{}') as { failures?: string[]; openUntil?: string };
            if (state.openUntil && Date.parse(state.openUntil) > now.getTime()) {
                return { until: state.openUntil, failures: state.failures?.length ?? s.failures };
            }
            return undefined;
        } catch (e) {
            if (statusOf(e) === 404) return undefined;
            throw e;
        }
    }

    /** Records a failed remediation; opens the breaker when the window holds enough failures. Idempotent per ticket. */
    async recordFailure(pipeline: string, ticketId: string, now: Date, s: BreakerSettings): Promise<void> {
        const since = now.getTime() - s.windowMinutes * 60_000;
        await this.update<{ failures: string[]; tickets: string[]; openUntil?: string }>(
            'breaker', safeKey(pipeline.toLowerCase()), { failures: [], tickets: [] },
            (state) => {
                if (state.tickets.includes(ticketId)) return undefined;
                const failures = [...state.failures.filter((t) => Date.parse(t) >= since), now.toISOString()];
                const open = failures.length >= s.failures;
                return {
                    failures,
                    tickets: [...state.tickets.slice(-50), ticketId],
                    openUntil: open ? new Date(now.getTime() + s.cooldownMinutes * 60_000).toISOString() : state.openUntil,
                };
            },
        );
    }

    /** Takes a slot of the global rerun budget (a lease that expires, so a lost release frees itself). */
    async acquireSlot(ticketId: string, now: Date, max: number, leaseMinutes: number): Promise<boolean> {
        let granted = false;
        await this.update<Record<string, string>>('budget', 'reruns', {}, (holders) => {
            const live = Object.fromEntries(Object.entries(holders).filter(([, until]) => Date.parse(until) > now.getTime()));
            if (!(ticketId in live) && Object.keys(live).length >= max) {
                granted = false;
                return undefined;
            }
            granted = true;
            return { ...live, [ticketId]: new Date(now.getTime() + leaseMinutes * 60_000).toISOString() };
        });
        return granted;
    }

    async releaseSlot(ticketId: string): Promise<void> {
        await this.update<Record<string, string>>('budget', 'reruns', {}, (holders) => {
            if (!(ticketId in holders)) return undefined;
            const { [ticketId]: _released, ...rest } = holders;
            return rest;
        });
    }

    /** Reruns holding a slot now (for metrics and the storm benchmark). */
    async slotsInUse(now: Date): Promise<number> {
        let count = 0;
        await this.update<Record<string, string>>('budget', 'reruns', {}, (holders) => {
            count = Object.values(holders).filter((until) => Date.parse(until) > now.getTime()).length;
            return undefined;
        });
        return count;
    }
}
