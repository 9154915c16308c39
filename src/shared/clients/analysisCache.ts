import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';

import { AnalysisSchema } from '../domain';
import { ensureTable, safeKey, statusOf } from './tables';

export const CachedAnalysisSchema = z.object({
    analysis: AnalysisSchema,
    source: z.enum(['gemini', 'ollama']),
    model: z.string(),
    firstTicketId: z.string(),
    at: z.string(),
    expiresAt: z.string(),
});
export type CachedAnalysis = z.infer<typeof CachedAnalysisSchema>;

export const ProviderStateSchema = z.object({
    pausedUntil: z.string().optional(),
    pauseNote: z.string().optional(),
    lastError: z.string().optional(),
    lastErrorKind: z.string().optional(),
    lastErrorAt: z.string().optional(),
    lastOkAt: z.string().optional(),
});
export type ProviderState = z.infer<typeof ProviderStateSchema>;

export type Claim = { kind: 'hit'; entry: CachedAnalysis } | { kind: 'claimed' } | { kind: 'busy' };

const SIGNATURES = 'signature';
const PROVIDERS = 'provider';
/** A claim older than this is abandoned (its holder died): another instance may take it over. */
const CLAIM_TTL_MS = 5 * 60_000;

interface Row {
    partitionKey: string;
    rowKey: string;
    etag?: string;
    state?: string;
    claimedAt?: string;
    entry?: string;
}

/**
 * The error-signature cache and the model providers' state (pauses, last errors), in one Table, so every
 * instance of the app shares them. One row per signature: `pending` while one instance asks the model.
 */
export class AnalysisCache {
    private readonly table: () => Promise<TableClient>;

    constructor(
        table: TableClient,
        readonly ttlMinutes: number,
        private readonly now: () => Date = () => new Date(),
    ) {
        this.table = ensureTable(table);
    }

    /** A fresh cached analysis, a claim to compute it, or `busy` when another instance is computing it. */
    async claim(hash: string, ticketId: string): Promise<Claim> {
        const table = await this.table();
        const pending = { partitionKey: SIGNATURES, rowKey: hash, state: 'pending', claimedAt: this.iso(), ticketId };
        try {
            await table.createEntity(pending);
            return { kind: 'claimed' };
        } catch (e) {
            if (statusOf(e) !== 409) throw e;
        }
        const row = await this.row(SIGNATURES, hash);
        if (!row) return this.claim(hash, ticketId);
        const entry = this.fresh(row);
        if (entry) return { kind: 'hit', entry };
        const claimedAt = row.state === 'pending' ? Date.parse(row.claimedAt ?? '') : NaN;
        if (claimedAt > this.now().getTime() - CLAIM_TTL_MS) return { kind: 'busy' };
        try {
            await table.updateEntity(pending, 'Replace', { etag: row.etag });
            return { kind: 'claimed' };
        } catch (e) {
            if (statusOf(e) === 412) return { kind: 'busy' };
            throw e;
        }
    }

    async get(hash: string): Promise<CachedAnalysis | undefined> {
        const row = await this.row(SIGNATURES, hash);
        return row ? this.fresh(row) : undefined;
    }

    async put(hash: string, entry: Omit<CachedAnalysis, 'expiresAt'>): Promise<CachedAnalysis> {
        const expiresAt = new Date(this.now().getTime() + this.ttlMinutes * 60_000).toISOString();
        const full: CachedAnalysis = { ...entry, expiresAt };
        const table = await this.table();
        const row = { partitionKey: SIGNATURES, rowKey: hash, state: 'ready', entry: JSON.stringify(full) };
        await table.upsertEntity(row, 'Replace');
        return full;
    }

    /** Gives up a claim without a result, so the next ticket asks at once instead of waiting for it to go stale. */
    async release(hash: string): Promise<void> {
        const row = await this.row(SIGNATURES, hash);
        if (row?.state !== 'pending') return;
        const table = await this.table();
        await table.deleteEntity(SIGNATURES, hash, { etag: row.etag }).catch((e: unknown) => {
            if (statusOf(e) !== 404 && statusOf(e) !== 412) throw e;
        });
    }

    async provider(name: string): Promise<ProviderState> {
        const row = (await this.row(PROVIDERS, safeKey(name))) as (Row & Record<string, unknown>) | undefined;
        const parsed = ProviderStateSchema.safeParse(row ?? {});
        return parsed.success ? parsed.data : {};
    }

    async updateProvider(name: string, patch: ProviderState): Promise<void> {
        const table = await this.table();
        const values = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        await table.upsertEntity({ partitionKey: PROVIDERS, rowKey: safeKey(name), ...values }, 'Merge');
    }

    private fresh(row: Row): CachedAnalysis | undefined {
        if (row.state !== 'ready' || !row.entry) return undefined;
        const parsed = CachedAnalysisSchema.safeParse(JSON.parse(row.entry));
        if (!parsed.success || Date.parse(parsed.data.expiresAt) <= this.now().getTime()) return undefined;
        return parsed.data;
    }

    private async row(pk: string, rk: string): Promise<Row | undefined> {
        const table = await this.table();
        try {
            return await table.getEntity<Row>(pk, rk);
        } catch (e) {
            if (statusOf(e) === 404) return undefined;
            throw e;
        }
    }

    private iso(): string {
        return this.now().toISOString();
    }
}
