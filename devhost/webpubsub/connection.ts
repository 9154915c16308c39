import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { messageFrame, rawData, type MessageSource, type Payload, type Protocol } from './frames';

const MAX_UNACKED = 1000;
const MAX_SEEN_ACKS = 1000;

/** One client connection; for the reliable protocol it outlives its socket while the client may recover it. */
export class Connection {
    readonly id = randomBytes(12).toString('base64url');
    readonly reconnectionToken = randomBytes(24).toString('base64url');
    readonly groups = new Set<string>();
    readonly roles: Set<string>;
    socket: WebSocket | undefined;
    recoveryTimer: NodeJS.Timeout | undefined;
    private lastSequenceId = 0;
    private unacked: { sequenceId: number; frame: string }[] = [];
    private readonly seenAckIds = new Set<unknown>();

    constructor(
        readonly hub: string,
        readonly userId: string | undefined,
        readonly protocol: Protocol,
        roles: Iterable<string>,
        socket: WebSocket,
    ) {
        this.roles = new Set(roles);
        this.socket = socket;
    }

    hasRole(permission: 'joinLeaveGroup' | 'sendToGroup', group: string): boolean {
        return this.roles.has(`webpubsub.${permission}`) || this.roles.has(`webpubsub.${permission}.${group}`);
    }

    /** Records an ackId; false when it was seen before, so the caller answers Duplicate and does nothing. */
    firstAck(ackId: unknown): boolean {
        if (this.seenAckIds.has(ackId)) return false;
        this.seenAckIds.add(ackId);
        if (this.seenAckIds.size > MAX_SEEN_ACKS) {
            const oldest = this.seenAckIds.values().next().value;
            this.seenAckIds.delete(oldest);
        }
        return true;
    }

    sendFrame(frame: Record<string, unknown>): void {
        if (this.protocol === 'none') return;
        this.write(JSON.stringify(frame));
    }

    deliver(source: MessageSource, payload: Payload): void {
        if (this.protocol === 'none') {
            this.write(rawData(payload));
            return;
        }
        if (this.protocol === 'json') {
            this.write(JSON.stringify(messageFrame(source, payload)));
            return;
        }
        const sequenceId = ++this.lastSequenceId;
        const frame = JSON.stringify(messageFrame(source, payload, sequenceId));
        this.unacked.push({ sequenceId, frame });
        if (this.unacked.length > MAX_UNACKED) this.unacked.shift();
        this.write(frame);
    }

    acknowledge(sequenceId: number): void {
        this.unacked = this.unacked.filter((m) => m.sequenceId > sequenceId);
    }

    /** Attaches the socket of a recovered reliable connection. */
    resume(socket: WebSocket): void {
        clearTimeout(this.recoveryTimer);
        this.recoveryTimer = undefined;
        this.socket = socket;
    }

    /** Resends what the client has not acknowledged, after a recovery. */
    replayUnacked(): void {
        for (const m of this.unacked) this.write(m.frame);
    }

    private write(data: string | Buffer): void {
        if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(data);
    }
}
