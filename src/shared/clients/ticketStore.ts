import { odata, type TableClient } from '@azure/data-tables';

import { type Ticket, TicketSchema } from '../domain';
import { ensureTable, statusOf, toEntityValue } from './tables';

const PK = 'ticket';
const JSON_FIELDS = ['rerunRunIds', 'analysis', 'facts', 'repairIds'] as const;

export interface DeliveryRecord {
    ticketId: string;
    deliveryId: string;
    receivedAt: string;
    source: string;
    alertId?: string;
    monitorCondition?: string;
    payloadBlob?: string;
}

/** What storage can narrow a listing by (times are ISO strings, compared as stored). */
export interface TicketListFilter {
    status?: string;
    source?: string;
    category?: string;
    createdFrom?: string;
    createdTo?: string;
    updatedSince?: string;
}

/** Tickets (one row each) and the alert deliveries behind them (a partition per ticket). */
export class TicketStore {
    private readonly tickets: () => Promise<TableClient>;
    private readonly alerts: () => Promise<TableClient>;

    constructor(tickets: TableClient, alerts: TableClient) {
        this.tickets = ensureTable(tickets);
        this.alerts = ensureTable(alerts);
    }

    /** Creates the ticket unless it exists; returns the stored ticket either way. */
    async open(ticket: Ticket): Promise<Ticket> {
        const table = await this.tickets();
        try {
            await table.createEntity(toEntity(ticket));
            return ticket;
        } catch (e) {
            if (statusOf(e) !== 409) throw e;
            return (await this.get(ticket.id))!;
        }
    }

    async get(id: string): Promise<Ticket | undefined> {
        const table = await this.tickets();
        try {
            const row = await table.getEntity<Record<string, unknown>>(PK, id);
            return { ...fromEntity(row), relatedAlerts: await this.deliveryCount(id) };
        } catch (e) {
            if (statusOf(e) === 404) return undefined;
            throw e;
        }
    }

    /** Merges fields into the ticket (last writer wins per field: each field has one writer at a time). */
    async update(id: string, patch: Partial<Ticket>): Promise<void> {
        const table = await this.tickets();
        const entity: Record<string, unknown> = { partitionKey: PK, rowKey: id };
        for (const [key, value] of Object.entries(patch)) {
            if (key === 'id' || key === 'relatedAlerts' || value === undefined) continue;
            entity[key] = toEntityValue(value);
        }
        await table.updateEntity(entity as never, 'Merge');
    }

    /**
     * Merges fields and increments the ticket's `version` in one conditional write (ETag), so two writers of
     * the same ticket never publish the same version twice. Returns the new version.
     */
    async updateVersioned(id: string, patch: Partial<Ticket>): Promise<number> {
        const table = await this.tickets();
        for (let attempt = 1; ; attempt++) {
            const row = await table.getEntity<Record<string, unknown>>(PK, id);
            const version = (typeof row['version'] === 'number' ? row['version'] : 0) + 1;
            const entity: Record<string, unknown> = { partitionKey: PK, rowKey: id, version };
            for (const [key, value] of Object.entries(patch)) {
                if (key === 'id' || key === 'relatedAlerts' || key === 'version' || value === undefined) continue;
                entity[key] = toEntityValue(value);
            }
            try {
                await table.updateEntity(entity as never, 'Merge', { etag: row.etag });
                return version;
            } catch (e) {
                if (statusOf(e) !== 412 || attempt >= 10) throw e;
            }
        }
    }

    /** Every ticket matching the filter, newest first (the ticket API filters, sorts and pages over this). */
    async list(filter: TicketListFilter = {}): Promise<Ticket[]> {
        const table = await this.tickets();
        const clauses = [odata`PartitionKey eq ${PK}`];
        if (filter.status) clauses.push(odata`status eq ${filter.status}`);
        if (filter.source) clauses.push(odata`source eq ${filter.source}`);
        if (filter.category) clauses.push(odata`category eq ${filter.category}`);
        if (filter.createdFrom) clauses.push(odata`createdAt ge ${filter.createdFrom}`);
        if (filter.createdTo) clauses.push(odata`createdAt lt ${filter.createdTo}`);
        if (filter.updatedSince) clauses.push(odata`updatedAt ge ${filter.updatedSince}`);
        const out: Ticket[] = [];
        for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: clauses.join(' and ') } })) {
            out.push(fromEntity(row));
        }
        return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
    }

    async withDeliveryCounts<T extends Ticket>(tickets: T[]): Promise<T[]> {
        return Promise.all(tickets.map(async (t) => ({ ...t, relatedAlerts: await this.deliveryCount(t.id) })));
    }

    /** Persists one accepted alert delivery (before we answer 202). */
    async recordDelivery(delivery: DeliveryRecord): Promise<void> {
        const table = await this.alerts();
        await table.createEntity({ partitionKey: delivery.ticketId, rowKey: delivery.deliveryId, ...delivery });
    }

    async deliveries(ticketId: string): Promise<DeliveryRecord[]> {
        const table = await this.alerts();
        const out: DeliveryRecord[] = [];
        for await (const row of table.listEntities<DeliveryRecord>({ queryOptions: { filter: odata`PartitionKey eq ${ticketId}` } })) {
            out.push(row);
        }
        return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    }

    private async deliveryCount(ticketId: string): Promise<number> {
        const table = await this.alerts();
        let n = 0;
        const rows = table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${ticketId}`, select: ['RowKey'] } });
        for await (const _ of rows) n++;
        return Math.max(n, 1);
    }
}

function toEntity(ticket: Ticket): Record<string, unknown> & { partitionKey: string; rowKey: string } {
    const entity: Record<string, unknown> & { partitionKey: string; rowKey: string } = { partitionKey: PK, rowKey: ticket.id };
    for (const [key, value] of Object.entries(ticket)) {
        if (key === 'id' || key === 'relatedAlerts') continue;
        const v = toEntityValue(value);
        if (v !== undefined) entity[key] = v;
    }
    return entity;
}

function fromEntity(row: Record<string, unknown>): Ticket {
    const raw: Record<string, unknown> = { relatedAlerts: 1 };
    for (const [key, value] of Object.entries(row)) {
        if (['partitionKey', 'etag', 'timestamp', 'odata.metadata'].includes(key)) continue;
        raw[key === 'rowKey' ? 'id' : key] = value;
    }
    for (const key of JSON_FIELDS) if (typeof raw[key] === 'string') raw[key] = JSON.parse(raw[key]) as unknown;
    return TicketSchema.parse(raw);
}
