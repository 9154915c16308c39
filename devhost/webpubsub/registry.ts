import { Connection } from './connection';
import type { MessageSource, Payload } from './frames';

/** WebSocket close code that tells the client SDK not to try recovering the connection. */
export const CLOSE_NO_RECOVERY = 1008;

/** All live connections of all hubs, plus the service-side user-to-group assignments. */
export class Registry {
    private readonly byId = new Map<string, Connection>();
    private readonly userGroups = new Map<string, Set<string>>();

    add(conn: Connection): void {
        this.byId.set(conn.id, conn);
        if (conn.userId === undefined) return;
        for (const g of this.userGroups.get(userKey(conn.hub, conn.userId)) ?? []) conn.groups.add(g);
    }

    get(hub: string, id: string): Connection | undefined {
        const conn = this.byId.get(id);
        return conn?.hub === hub ? conn : undefined;
    }

    all(hub?: string): Connection[] {
        return [...this.byId.values()].filter((c) => hub === undefined || c.hub === hub);
    }

    ofUser(hub: string, userId: string): Connection[] {
        return this.all(hub).filter((c) => c.userId === userId);
    }

    ofGroup(hub: string, group: string): Connection[] {
        return this.all(hub).filter((c) => c.groups.has(group));
    }

    /** Forgets the connection without touching its socket (the socket is already gone). */
    forget(conn: Connection): void {
        clearTimeout(conn.recoveryTimer);
        this.byId.delete(conn.id);
    }

    /** Server-side close: a `disconnected` system event, then a close code that stops client recovery. */
    close(conn: Connection, reason: string): void {
        this.forget(conn);
        conn.sendFrame({ type: 'system', event: 'disconnected', message: reason });
        conn.socket?.close(CLOSE_NO_RECOVERY, reason.slice(0, 120));
    }

    deliver(targets: Connection[], source: MessageSource, payload: Payload, except?: Set<string>): void {
        for (const conn of targets) {
            if (!except?.has(conn.id)) conn.deliver(source, payload);
        }
    }

    addUserToGroup(hub: string, userId: string, group: string): void {
        const key = userKey(hub, userId);
        const groups = this.userGroups.get(key) ?? new Set<string>();
        groups.add(group);
        this.userGroups.set(key, groups);
        for (const conn of this.ofUser(hub, userId)) conn.groups.add(group);
    }

    removeUserFromGroup(hub: string, userId: string, group: string): void {
        this.userGroups.get(userKey(hub, userId))?.delete(group);
        for (const conn of this.ofUser(hub, userId)) conn.groups.delete(group);
    }

    removeUserFromAllGroups(hub: string, userId: string): void {
        this.userGroups.delete(userKey(hub, userId));
        for (const conn of this.ofUser(hub, userId)) conn.groups.clear();
    }

    /** Terminates every socket; used when the hub shuts down. */
    terminateAll(): void {
        for (const conn of this.byId.values()) {
            clearTimeout(conn.recoveryTimer);
            conn.socket?.terminate();
        }
        this.byId.clear();
    }
}

function userKey(hub: string, userId: string): string {
    return `${hub}\u0000${userId}`;
}
