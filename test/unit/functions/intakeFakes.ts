import { HttpRequest, InvocationContext } from '@azure/functions';

import { type Delivery, FIRST, type IntakeStore, type Marker } from '../../../src/shared/clients/intakeStore';
import { loadConfig } from '../../../src/shared/config';
import type { InstanceKind, OrchestrationStarter } from '../../../src/shared/intakeService';

type Row = Marker & { rowKey: string };

/** IntakeStore in memory, with a switch that makes every call fail as storage would. */
export class MemoryIntakeStore {
    readonly partitions = new Map<string, Map<string, Row>>();
    readonly blobs = new Map<string, string>();
    readonly indexRows = new Map<string, Set<string>>();
    readonly log: string[] = [];
    failWith: Error | undefined;

    private part(key: string): Map<string, Row> {
        let p = this.partitions.get(key);
        if (!p) this.partitions.set(key, (p = new Map()));
        return p;
    }
    private check(): void {
        if (this.failWith) throw this.failWith;
    }
    rows(key: string): Row[] {
        return [...(this.partitions.get(key)?.values() ?? [])];
    }
    async archive(name: string, body: string) {
        this.check();
        this.blobs.set(name, body);
        this.log.push(`archive ${name}`);
    }
    async claim(key: string, delivery: Delivery, extra: Partial<Marker> = {}) {
        this.check();
        const p = this.part(key);
        if (p.has(FIRST)) return false;
        p.set(FIRST, { ...delivery, ...extra, ticketId: key, rowKey: FIRST });
        this.log.push(`claim ${key}`);
        return true;
    }
    async marker(key: string) {
        this.check();
        return this.partitions.get(key)?.get(FIRST);
    }
    async updateMarker(key: string, patch: Partial<Marker>) {
        this.check();
        const m = this.part(key).get(FIRST);
        if (m) Object.assign(m, patch);
    }
    async record(key: string, delivery: Delivery) {
        this.check();
        const p = this.part(key);
        if (!p.has(delivery.deliveryId)) p.set(delivery.deliveryId, { ...delivery, ticketId: key, rowKey: delivery.deliveryId });
        this.log.push(`record ${key}`);
    }
    async deliveries(key: string) {
        this.check();
        return this.rows(key).sort((a, b) => Number(b.rowKey === FIRST) - Number(a.rowKey === FIRST));
    }
    async index(key: string, ids: string[]) {
        this.check();
        const set = this.indexRows.get(key) ?? new Set<string>();
        ids.forEach((id) => set.add(id));
        this.indexRows.set(key, set);
    }
    async indexed(key: string) {
        this.check();
        return [...(this.indexRows.get(key) ?? [])];
    }
    async recordEvent(delivery: Delivery, reason: string) {
        this.check();
        this.part(`events-${delivery.receivedAt.slice(0, 10)}`).set(delivery.deliveryId, { ...delivery, ticketId: '', rowKey: delivery.deliveryId });
        this.log.push(`event ${reason}`);
    }
    asStore(): IntakeStore {
        return this as unknown as IntakeStore;
    }
}

/** A durable runtime stand-in: instances by id; a start of an existing id fails as the real one does. */
export class FakeStarter implements OrchestrationStarter {
    readonly instances = new Map<string, { kind: InstanceKind; input: unknown }>();
    readonly started: string[] = [];
    /** Finished instances: like the real runtime (NonRunningStates), a start replaces them without complaint. */
    readonly finished = new Set<string>();
    failStart: Error | undefined;
    async exists(id: string) {
        return this.instances.has(id);
    }
    async start(kind: InstanceKind, id: string, input: unknown) {
        if (this.failStart) throw this.failStart;
        if (this.instances.has(id) && !this.finished.has(id)) throw new Error(`An instance with ID '${id}' already exists`);
        this.instances.set(id, { kind, input });
        this.started.push(`${kind} ${id}`);
    }
}

export const NOW = new Date('2025-03-14T02:21:00Z');

export function intakeConfig(extra: Record<string, string> = {}) {
    return loadConfig({ STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', ...extra });
}

export function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): HttpRequest {
    return new HttpRequest({ method: 'POST', url: 'http://localhost/api/alerts', body: { string: body }, headers });
}

/** An InvocationContext whose log lines are kept (to check what is and is not logged). */
export function context(): { ctx: InvocationContext; lines: string[] } {
    const lines: string[] = [];
    const ctx = new InvocationContext({
        functionName: 'test',
        invocationId: 'corr-1',
        logHandler: (_level, ...args) => lines.push(args.map(String).join(' ')),
    });
    return { ctx, lines };
}
