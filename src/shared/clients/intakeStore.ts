import { odata, type TableClient } from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';

import { ensureTable, statusOf } from './tables';
import type { DeliveryRecord } from './ticketStore';

/** Row key of a key's first delivery: creating it is the claim that decides who starts the work. */
export const FIRST = 'first';

/** One accepted delivery, before it is filed under a ticket (or a lookup, or a note). */
export type Delivery = Omit<DeliveryRecord, 'ticketId'>;

/** The delivery fields of a stored row (without the table's own keys, etag and timestamp). */
export function asDelivery(row: DeliveryRecord): Delivery {
    const d: Delivery = { deliveryId: row.deliveryId, receivedAt: row.receivedAt, source: row.source };
    if (row.alertId) d.alertId = row.alertId;
    if (row.monitorCondition) d.monitorCondition = row.monitorCondition;
    if (row.payloadBlob) d.payloadBlob = row.payloadBlob;
    return d;
}

/** The first row of a partition: a delivery, or an alias to the ticket an alert really belongs to. */
export interface Marker extends DeliveryRecord {
    /** Set on the key of one of our own reruns: alerts about it count on this ticket instead. */
    parentTicketId?: string;
    /** Set on a ticket a run lookup opened: which lookup (a retried activity recognises its own claim). */
    lookupId?: string;
    /** Set on a lookup once it has opened its tickets (JSON array of ticket ids). */
    ticketIds?: string;
}

/**
 * Intake's storage: the deliveries (the alerts table, a partition per ticket, lookup or note; the ticket store
 * counts a ticket's rows as its related alerts), the alert → tickets index, and the raw payload archive.
 */
export class IntakeStore {
    private readonly table: () => Promise<TableClient>;
    private containerReady: Promise<unknown> | undefined;

    constructor(table: TableClient, private readonly container: ContainerClient) {
        this.table = ensureTable(table);
    }

    static payloadBlob(receivedAt: string, deliveryId: string): string {
        return `alerts/${receivedAt.slice(0, 10)}/${deliveryId}.json`;
    }

    /** Keeps the raw body exactly as received (`<container>/alerts/YYYY-MM-DD/<deliveryId>.json`). */
    async archive(name: string, body: string, contentType = 'application/json'): Promise<void> {
        this.containerReady ??= this.container.createIfNotExists().catch((e: unknown) => {
            this.containerReady = undefined;
            throw e;
        });
        await this.containerReady;
        await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
            blobHTTPHeaders: { blobContentType: contentType },
        });
    }

    /** Files the first delivery of `key`; false when another delivery (or an alias) got there first. */
    async claim(key: string, delivery: Delivery, extra: Partial<Marker> = {}): Promise<boolean> {
        const table = await this.table();
        try {
            await table.createEntity({ ...delivery, ...extra, ticketId: key, partitionKey: key, rowKey: FIRST });
            return true;
        } catch (e) {
            if (statusOf(e) === 409) return false;
            throw e;
        }
    }

    async marker(key: string): Promise<Marker | undefined> {
        const table = await this.table();
        try {
            return await table.getEntity<Marker>(key, FIRST);
        } catch (e) {
            if (statusOf(e) === 404) return undefined;
            throw e;
        }
    }

    async updateMarker(key: string, patch: Partial<Marker>): Promise<void> {
        const table = await this.table();
        await table.updateEntity({ ...patch, partitionKey: key, rowKey: FIRST }, 'Merge');
    }

    /** Files one more delivery under `key`; idempotent per delivery id (copies land on the same row). */
    async record(key: string, delivery: Delivery): Promise<void> {
        const table = await this.table();
        try {
            await table.createEntity({ ...delivery, ticketId: key, partitionKey: key, rowKey: delivery.deliveryId });
        } catch (e) {
            if (statusOf(e) !== 409) throw e;
        }
    }

    /** Every delivery filed under `key`, the first one first. */
    async deliveries(key: string): Promise<(Marker & { rowKey: string })[]> {
        const table = await this.table();
        const out: (Marker & { rowKey: string })[] = [];
        for await (const row of table.listEntities<Marker>({ queryOptions: { filter: odata`PartitionKey eq ${key}` } })) {
            out.push(row as Marker & { rowKey: string });
        }
        const first = (row: { rowKey: string }) => Number(row.rowKey === FIRST);
        return out.sort((a, b) => first(b) - first(a) || a.receivedAt.localeCompare(b.receivedAt));
    }

    /** Remembers which tickets an alert led to (a Resolved metric alert names no run: this is how it finds them). */
    async index(indexKey: string, ticketIds: string[], at: string): Promise<void> {
        const table = await this.table();
        await Promise.all(ticketIds.map((id) => table.upsertEntity({ partitionKey: indexKey, rowKey: id, at }, 'Replace')));
    }

    async indexed(indexKey: string): Promise<string[]> {
        const table = await this.table();
        const ids: string[] = [];
        const filter = odata`PartitionKey eq ${indexKey}`;
        const rows = table.listEntities({ queryOptions: { filter, select: ['RowKey'] } });
        for await (const row of rows) if (row.rowKey) ids.push(row.rowKey);
        return ids;
    }

    /** A delivery that opens nothing (test notification, activity log event, on_start...): kept for the record. */
    async recordEvent(delivery: Delivery, reason: string): Promise<void> {
        const table = await this.table();
        const key = `events-${delivery.receivedAt.slice(0, 10)}`;
        const row = { ...delivery, ticketId: '', reason: reason.slice(0, 1000) };
        await table.createEntity({ ...row, partitionKey: key, rowKey: delivery.deliveryId });
    }
}
