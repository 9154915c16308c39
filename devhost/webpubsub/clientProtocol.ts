import type { Connection } from './connection';
import type { HubContext } from './context';
import { payloadFromFrame } from './frames';

interface ClientFrame {
    type?: unknown;
    ackId?: unknown;
    group?: unknown;
    dataType?: unknown;
    data?: unknown;
    noEcho?: unknown;
    sequenceId?: unknown;
    invocationId?: unknown;
}

type ErrorName = 'Forbidden' | 'BadRequest' | 'Duplicate';

function ack(conn: Connection, ackId: unknown, error?: { name: ErrorName; message: string }): void {
    if (ackId === undefined || ackId === null) return;
    conn.sendFrame(error ? { type: 'ack', ackId, success: false, error } : { type: 'ack', ackId, success: true });
}

/** Handles one text frame from a client speaking `json[.reliable].webpubsub.azure.v1`. */
export function handleClientFrame(ctx: HubContext, conn: Connection, text: string): void {
    let frame: ClientFrame;
    try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null) return;
        frame = parsed as ClientFrame;
    } catch {
        return;
    }
    switch (frame.type) {
        case 'ping':
            conn.sendFrame({ type: 'pong' });
            return;
        case 'sequenceAck':
            if (typeof frame.sequenceId === 'number') conn.acknowledge(frame.sequenceId);
            return;
        case 'joinGroup':
        case 'leaveGroup':
            return withAck(conn, frame, () => joinOrLeave(conn, frame));
        case 'sendToGroup':
            return withAck(conn, frame, () => sendToGroup(ctx, conn, frame));
        case 'event':
            // No upstream event handler exists locally, so the event is accepted and dropped.
            return withAck(conn, frame, () => undefined);
        case 'invoke':
            conn.sendFrame({
                type: 'invokeResponse', invocationId: frame.invocationId, success: false,
                error: { name: 'NotSupported', message: 'The local Web PubSub hub has no upstream event handler' },
            });
            return;
        default:
            return;
    }
}

type Outcome = { name: ErrorName; message: string } | undefined;

function withAck(conn: Connection, frame: ClientFrame, run: () => Outcome): void {
    const hasAck = frame.ackId !== undefined && frame.ackId !== null;
    if (hasAck && !conn.firstAck(frame.ackId)) {
        const message = `Message with ackId ${String(frame.ackId)} is duplicated`;
        return ack(conn, frame.ackId, { name: 'Duplicate', message });
    }
    ack(conn, frame.ackId, run());
}

function groupOf(frame: ClientFrame): string | undefined {
    return typeof frame.group === 'string' && frame.group.length > 0 && frame.group.length < 1025
        ? frame.group : undefined;
}

function joinOrLeave(conn: Connection, frame: ClientFrame): Outcome {
    const group = groupOf(frame);
    if (!group) return { name: 'BadRequest', message: 'A group name is required' };
    if (!conn.hasRole('joinLeaveGroup', group)) {
        return { name: 'Forbidden', message: `The connection has no permission to join or leave group ${group}` };
    }
    if (frame.type === 'joinGroup') conn.groups.add(group);
    else conn.groups.delete(group);
    return undefined;
}

function sendToGroup(ctx: HubContext, conn: Connection, frame: ClientFrame): Outcome {
    const group = groupOf(frame);
    if (!group) return { name: 'BadRequest', message: 'A group name is required' };
    if (!conn.hasRole('sendToGroup', group)) {
        return { name: 'Forbidden', message: `The connection has no permission to send to group ${group}` };
    }
    const payload = payloadFromFrame(frame.dataType, frame.data);
    if (!payload) return { name: 'BadRequest', message: 'dataType must be json, text or binary with matching data' };
    const except = frame.noEcho === true ? new Set([conn.id]) : undefined;
    const source = { from: 'group' as const, group, fromUserId: conn.userId };
    ctx.registry.deliver(ctx.registry.ofGroup(conn.hub, group), source, payload, except);
    return undefined;
}
