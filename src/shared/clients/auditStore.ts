import { odata, type TableClient } from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';

import { type AuditEvent, AuditEventSchema, type Ticket } from '../domain';
import { ensureTable } from './tables';

export type NewAuditEvent = Pick<AuditEvent, 'type' | 'summary'> & { data?: Record<string, unknown> };

/** The audit trail: a Table row per event, and one Blob document per ticket rewritten from those rows. */
export class AuditStore {
    private readonly table: () => Promise<TableClient>;
    private containerReady: Promise<unknown> | undefined;

    constructor(table: TableClient, private readonly container: ContainerClient) {
        this.table = ensureTable(table);
    }

    /** Idempotent: the same (seq, index) always lands on the same row, so a re-run activity writes no duplicate. */
    async append(ticketId: string, seq: number, at: string, events: NewAuditEvent[], firstIndex = 0): Promise<AuditEvent[]> {
        const table = await this.table();
        const written: AuditEvent[] = [];
        for (const [i, event] of events.entries()) {
            const row: AuditEvent = { ticketId, seq: seq * 100 + firstIndex + i, at, type: event.type, summary: event.summary, data: event.data ?? {} };
            await table.upsertEntity(
                { partitionKey: ticketId, rowKey: String(row.seq).padStart(8, '0'), at, type: row.type, summary: row.summary, seq: row.seq, data: JSON.stringify(row.data) },
                'Replace',
            );
            written.push(row);
        }
        return written;
    }

    /** Whether event `index` of step `seq` was written (a re-executed activity finds its own earlier intent). */
    async has(ticketId: string, seq: number, index = 0): Promise<boolean> {
        const table = await this.table();
        try {
            await table.getEntity(ticketId, String(seq * 100 + index).padStart(8, '0'));
            return true;
        } catch (e) {
            if ((e as { statusCode?: number }).statusCode === 404) return false;
            throw e;
        }
    }

    async list(ticketId: string): Promise<AuditEvent[]> {
        const table = await this.table();
        const out: AuditEvent[] = [];
        for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${ticketId}` } })) {
            const data: unknown = typeof row['data'] === 'string' ? JSON.parse(row['data']) : {};
            out.push(AuditEventSchema.parse({ ...row, ticketId, data }));
        }
        return out.sort((a, b) => a.seq - b.seq);
    }

    static blobName(ticket: Pick<Ticket, 'id' | 'createdAt'>): string {
        return `${ticket.createdAt.slice(0, 7)}/${ticket.id}.json`;
    }

    /** Rewrites `audit-logs/YYYY-MM/<ticketId>.json` with the ticket and its whole timeline. */
    async writeDocument(ticket: Ticket, events: AuditEvent[]): Promise<string> {
        this.containerReady ??= this.container.createIfNotExists().catch((e: unknown) => {
            this.containerReady = undefined;
            throw e;
        });
        await this.containerReady;
        const name = AuditStore.blobName(ticket);
        const body = JSON.stringify({ ticket, events }, null, 2);
        await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
            blobHTTPHeaders: { blobContentType: 'application/json' },
        });
        return name;
    }

    async readDocument(ticket: Pick<Ticket, 'id' | 'createdAt'>): Promise<{ ticket: Ticket; events: AuditEvent[] } | undefined> {
        const blob = this.container.getBlockBlobClient(AuditStore.blobName(ticket));
        try {
            const buffer = await blob.downloadToBuffer();
            return JSON.parse(buffer.toString('utf8')) as { ticket: Ticket; events: AuditEvent[] };
        } catch (e) {
            if ((e as { statusCode?: number }).statusCode === 404) return undefined;
            throw e;
        }
    }
}
