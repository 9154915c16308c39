import { odata, TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';

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

/** Past this many characters an entity's payload goes to a blob (Azure Tables: 1 MiB per entity), as the Azure
 * Storage provider does with its `-largemessages` container. */
const LARGE = 400_000;

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
    constructor(
        readonly table: TableClient,
        private readonly large?: ContainerClient,
    ) {}

    async init(): Promise<void> {
        await this.table.createTable();
        await this.large?.createIfNotExists();
    }

    /** Reads an entity's payload, fetching it from its blob when it was too large for the table. */
    private async read(entity: Record<string, unknown>): Promise<unknown> {
        if (typeof entity['blob'] !== 'string' || !this.large) return unpack(entity);
        const buffer = await this.large.getBlockBlobClient(entity['blob']).downloadToBuffer();
        return JSON.parse(buffer.toString('utf8'));
    }

    /** Moves oversized payloads to blobs before a commit, leaving a reference in the entity. */
    private async offload(actions: TransactionAction[]): Promise<TransactionAction[]> {
        if (!this.large) return actions;
        return Promise.all(actions.map(async (action) => {
            const entity = action[1] as Record<string, unknown>;
            const parts = Number(entity['parts'] ?? 0);
            if (action[0] === 'delete' || parts * CHUNK <= LARGE) return action;
            let text = '';
            for (let i = 0; i < parts; i++) text += String(entity[`p${i}`] ?? '');
            if (text.length <= LARGE) return action;
            const name = `${String(entity['partitionKey'])}/${String(entity['rowKey'])}-${randomUUID()}.json`;
            await this.large!.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
            const slim: Record<string, unknown> = { blob: name, parts: 0 };
            for (const [k, v] of Object.entries(entity)) if (!/^p\d+$/.test(k) && k !== 'parts') slim[k] = v;
            return [action[0], slim, ...action.slice(2)] as unknown as TransactionAction;
        }));
    }

    async load(id: string): Promise<Partition> {
        const result: Partition = { history: [], work: [] };
        const rows = this.table.listEntities<Record<string, unknown>>({
            queryOptions: { filter: odata`PartitionKey eq ${id}` },
        });
        for await (const row of rows) {
            const rk = String(row['rowKey']);
            if (rk === INSTANCE_RK) result.instance = { ...((await this.read(row)) as InstanceRow), etag: String(row['etag']) };
            else if (rk.startsWith('h-')) result.history.push((await this.read(row)) as HistoryEvent);
            else if (rk.startsWith('w-')) result.work.push((await this.read(row)) as WorkItem);
        }
        return result;
    }

    async getInstance(id: string): Promise<(InstanceRow & { etag: string }) | undefined> {
        try {
            const row = await this.table.getEntity<Record<string, unknown>>(id, INSTANCE_RK);
            return { ...((await this.read(row)) as InstanceRow), etag: String(row['etag']) };
        } catch (e) {
            if ((e as { statusCode?: number }).statusCode === 404) return undefined;
            throw e;
        }
    }

    async *instances(): AsyncGenerator<{ id: string; row: InstanceRow }> {
        const rows = this.table.listEntities<Record<string, unknown>>({
            queryOptions: { filter: odata`RowKey eq ${INSTANCE_RK}` },
        });
        for await (const row of rows) yield { id: String(row['partitionKey']), row: (await this.read(row)) as InstanceRow };
    }

    /** Every pending work item of every instance: what a restarted host must pick up again. */
    async *pendingWork(): AsyncGenerator<{ id: string; item: WorkItem }> {
        const rows = this.table.listEntities<Record<string, unknown>>({
            queryOptions: { filter: odata`RowKey ge ${'w-'} and RowKey lt ${'w.'}` },
        });
        for await (const row of rows) yield { id: String(row['partitionKey']), item: (await this.read(row)) as WorkItem };
    }

    /** Commits actions on one partition atomically (in 100-action slices; the instance row goes last). */
    async commit(input: TransactionAction[]): Promise<void> {
        const actions = await this.offload(input);
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
