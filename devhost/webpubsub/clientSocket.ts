import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { bearerToken, stringList, verifyToken } from './auth';
import { handleClientFrame } from './clientProtocol';
import { Connection } from './connection';
import type { HubContext } from './context';
import { JSON_SUBPROTOCOL, protocolOf, RELIABLE_SUBPROTOCOL } from './frames';
import { CLOSE_NO_RECOVERY } from './registry';
import { HUB_NAME } from './rest';

/** How long a dropped reliable connection waits for its client to recover it, like the service's grace period. */
const RECOVERY_MS = 30_000;
const CLIENT_PATH = /^\/client\/hubs\/([^/]+)\/?$/;

export function createWebSocketServer(): WebSocketServer {
    return new WebSocketServer({
        noServer: true,
        handleProtocols: (offered) => pickSubprotocol(offered) ?? false,
    });
}

function pickSubprotocol(offered: Iterable<string>): string | undefined {
    for (const p of offered) if (p === RELIABLE_SUBPROTOCOL || p === JSON_SUBPROTOCOL) return p;
    return undefined;
}

/** Upgrades `/client/hubs/{hub}` requests that carry a valid client token; anything else gets an HTTP error. */
export function createUpgradeHandler(ctx: HubContext, wss: WebSocketServer) {
    return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
        socket.on('error', () => socket.destroy());
        upgrade(ctx, wss, req, socket, head).catch(() => refuse(socket, 500));
    };
}

async function upgrade(ctx: HubContext, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer) {
    const host = req.headers.host ?? 'localhost';
    const url = new URL(req.url ?? '/', `http://${host}`);
    const m = CLIENT_PATH.exec(url.pathname);
    if (!m) return refuse(socket, 404);
    if (!ctx.available) return refuse(socket, 503);
    const hub = decodeURIComponent(m[1] as string);
    if (!HUB_NAME.test(hub)) return refuse(socket, 400);
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    if (offered.length > 0 && !pickSubprotocol(offered)) return refuse(socket, 400);

    const recoverId = url.searchParams.get('awps_connection_id');
    if (recoverId) {
        const conn = ctx.registry.get(hub, recoverId);
        const valid = conn && conn.reconnectionToken === url.searchParams.get('awps_reconnection_token');
        return wss.handleUpgrade(req, socket, head, (ws) => (valid ? resume(ctx, conn, ws) : reject(ws)));
    }

    const token = url.searchParams.get('access_token') ?? bearerToken(req.headers.authorization);
    const path = `/client/hubs/${hub}`;
    const audiences = [`http://${host}${path}`, `${ctx.origin}${path}`];
    const claims = token ? await verifyToken(token, ctx.key, audiences) : undefined;
    if (!claims) return refuse(socket, 401);
    wss.handleUpgrade(req, socket, head, (ws) => {
        const conn = new Connection(hub, claims.sub, protocolOf(ws.protocol), stringList(claims.role), ws);
        for (const g of stringList(claims['webpubsub.group'])) conn.groups.add(g);
        ctx.registry.add(conn);
        attach(ctx, conn, ws);
        sendConnected(conn);
    });
}

function sendConnected(conn: Connection): void {
    conn.sendFrame({
        type: 'system', event: 'connected', userId: conn.userId ?? null, connectionId: conn.id,
        ...(conn.protocol === 'reliable' ? { reconnectionToken: conn.reconnectionToken } : {}),
    });
}

function resume(ctx: HubContext, conn: Connection, ws: WebSocket): void {
    const old = conn.socket;
    conn.resume(ws);
    old?.terminate();
    attach(ctx, conn, ws);
    sendConnected(conn);
    conn.replayUnacked();
}

/** A recovery attempt for a connection the hub no longer has: tell the client to start afresh. */
function reject(ws: WebSocket): void {
    const message = 'Connection not found';
    if (ws.protocol) ws.send(JSON.stringify({ type: 'system', event: 'disconnected', message }));
    ws.close(CLOSE_NO_RECOVERY, message);
}

function attach(ctx: HubContext, conn: Connection, ws: WebSocket): void {
    ws.on('error', () => undefined);
    ws.on('message', (data: RawData, isBinary: boolean) => {
        // Without a subprotocol messages would go to an upstream handler, which the local hub does not have.
        if (conn.protocol === 'none' || isBinary) return;
        handleClientFrame(ctx, conn, rawText(data));
    });
    ws.on('close', (code: number) => {
        if (conn.socket !== ws) return;
        conn.socket = undefined;
        if (ctx.registry.get(conn.hub, conn.id) !== conn) return;
        if (conn.protocol === 'reliable' && code === 1006) {
            conn.recoveryTimer = setTimeout(() => ctx.registry.forget(conn), RECOVERY_MS).unref();
        } else {
            ctx.registry.forget(conn);
        }
    });
}

function rawText(data: RawData): string {
    if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
    return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function refuse(socket: Duplex, status: number): void {
    if (!socket.writable) return;
    const text = STATUS_CODES[status] ?? 'Error';
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}
