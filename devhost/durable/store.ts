import { odata, TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';

/**
 * The durable state of every orchestration instance, in one Azure Table: one partition per instance holding
 * the instance row, its history and its pending work. One partition means one entity-group transaction
 * commits an episode's new history, its consumed messages and its new work together.
 */

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminated' | 'ContinuedAsNew';

export interface InstanceRow {
    name: string;
    runtimeStatus: RuntimeStatus;
    input: unknown;
    output: unknown;
    customStatus: unknown;
    createdTime: string;
    lastUpdatedTime: string;
    historyCount: number;
    generation: number;
}

export type HistoryEvent = Record<string, unknown> & { EventType: number; EventId: number; Timestamp: string };

/** A message for the orchestrator (a completion, timer or event) or an activity to run. */
export type WorkItem =
    | { key: string; kind: 'message'; visibleAt: number; seq: number; event: HistoryEvent }
    | { key: string; kind: 'activity'; taskId: number; name: string; input: unknown; attempt: number };

export interface Partition {
    instance?: InstanceRow & { etag: string };
    history: HistoryEvent[];
    work: WorkItem[];
}

const CHUNK = 30000; // chars per string property (Azure Tables: 64 KiB per property)
export const INSTANCE_RK = 'instance';
export const historyRk = (n: number) => `h-${String(n).padStart(8, '0')}`;

function pack(value: unknown): Record<string, string | number> {
    const text = JSON.stringify(value ?? null);
    const out: Record<string, string | number> = { parts: Math.max(1, Math.ceil(text.length / CHUNK)) };
    for (let i = 0; i * CHUNK < text.length || i === 0; i++) out[`p${i}`] = text.slice(i * CHUNK, (i + 1) * CHUNK);
    return out;
}

function unpack(entity: Record<string, unknown>): unknown {
    const parts = Number(entity['parts'] ?? 0);
    let text = '';
    for (let i = 0; i < parts; i++) text += String(entity[`p${i}`] ?? '');
    return JSON.parse(text || 'null');
}

export function instanceEntity(id: string, row: InstanceRow): TableEntity {
    return { partitionKey: id, rowKey: INSTANCE_RK, ...pack(row), runtimeStatus: row.runtimeStatus, name: row.name };
}

export function historyEntity(id: string, n: number, event: HistoryEvent): TableEntity {
    return { partitionKey: id, rowKey: historyRk(n), ...pack(event) };
}

export function workEntity(id: string, item: WorkItem): TableEntity {
    const visibleAt = item.kind === 'message' ? item.visibleAt : 0;
    return { partitionKey: id, rowKey: `w-${item.key}`, kind: item.kind, visibleAt, ...pack(item) };
}

export class DurableStore {
    constructor(readonly table: TableClient) {}

    async init(): Promise<void> {
        await this.table.createTable();
    }

    async load(id: string): Promise<Partition> {
        const result: Partition = { history: [], work: [] };
        const rows = this.table.listEntities<Record<string, unknown>>({
            queryOptions: { filter: odata`PartitionKey eq ${id}` },
        });
        for await (const row of rows) {
            const rk = String(row['rowKey']);
            if (rk === INSTANCE_RK) result.instance = { ...(unpack(row) as InstanceRow), etag: String(row['etag']) };
            else if (rk.startsWith('h-')) result.history.push(unpack(row) as HistoryEvent);
            else if (rk.startsWith('w-')) result.work.push(unpack(row) as WorkItem);
        }
        return result;
    }

    async getInstance(id: string): Promise<(InstanceRow & { etag: string }) | undefined> {
        try {
            const row = await this.table.getEntity<Record<string, unknown>>(id, INSTANCE_RK);
            return { ...(unpack(row) as InstanceRow), etag: String(row['etag']) };
        } catch (e) {
            if ((e as { statusCode?: number }).statusCode === 404) return undefined;
            throw e;
        }
    }

    async *instances(): AsyncGenerator<{ id: string; row: InstanceRow }> {
        const rows = this.table.listEntities<Record<string, unknown>>({
            queryOptions: { filter: odata`RowKey eq ${INSTANCE_RK}` },
        });
        for await (const row of rows) yield { id: String(row['partitionKey']), row: unpack(row) as InstanceRow };
    }

    /** Every pending work item of every instance: what a restarted host must pick up again. */
    async *pendingWork(): AsyncGenerator<{ id: string; item: WorkItem }> {
        const rows = this.table.listEntities<Record<string, unknown>>({
            queryOptions: { filter: odata`RowKey ge ${'w-'} and RowKey lt ${'w.'}` },
        });
        for await (const row of rows) yield { id: String(row['partitionKey']), item: unpack(row) as WorkItem };
    }

    /** Commits actions on one partition atomically (in 100-action slices; the instance row goes last). */
    async commit(actions: TransactionAction[]): Promise<void> {
        for (let i = 0; i < actions.length; i += 100) {
            await this.table.submitTransaction(actions.slice(i, i + 100));
        }
    }

    async deletePartition(id: string): Promise<number> {
        const actions: TransactionAction[] = [];
        const rows = this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${id}`, select: ['RowKey'] } });
        for await (const row of rows) actions.push(['delete', { partitionKey: id, rowKey: String(row.rowKey) }]);
        await this.commit(actions);
        return actions.length;
    }
}
