import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUpgradeHandler, createWebSocketServer } from './clientSocket';
import { HubContext, type SentRecord } from './context';
import { Registry } from './registry';
import { createRestHandler } from './rest';

export type { SentRecord } from './context';

export interface WebPubSubConnectionInfo {
    connectionId: string;
    userId?: string;
    hub: string;
    groups: string[];
}

export interface WebPubSubHub {
    /** e.g. `http://127.0.0.1:PORT` */
    endpoint: string;
    /** `Endpoint=http://127.0.0.1;Port=PORT;AccessKey=KEY;Version=1.0;` (needs `allowInsecureConnection: true`). */
    connectionString: string;
    port: number;
    connections(hub?: string): WebPubSubConnectionInfo[];
    /** What the server REST API was asked to send, oldest first, the last 1000. */
    sent: SentRecord[];
    /** When false, REST calls get 503 and new client connections are refused; open connections stay. */
    setAvailable(up: boolean): void;
    close(): Promise<void>;
}

export interface WebPubSubHubOptions {
    host?: string;
    port?: number;
    accessKey?: string;
}

/**
 * Starts a local stand-in for Azure Web PubSub: the REST API the server SDK calls and the client WebSocket
 * endpoint (`json.webpubsub.azure.v1`, `json.reliable.webpubsub.azure.v1` or no subprotocol). No upstream
 * event handlers: client events are acknowledged and dropped.
 */
export async function startWebPubSubHub(opts: WebPubSubHubOptions = {}): Promise<WebPubSubHub> {
    const host = opts.host ?? '127.0.0.1';
    const accessKey = opts.accessKey ?? randomBytes(32).toString('base64');
    const registry = new Registry();
    const ctx = new HubContext(registry, new TextEncoder().encode(accessKey));
    const wss = createWebSocketServer();
    const server = createServer(createRestHandler(ctx));
    server.on('upgrade', createUpgradeHandler(ctx, wss));

    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port ?? 0, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    ctx.origin = `http://${urlHost}:${port}`;

    let closed: Promise<void> | undefined;
    return {
        endpoint: ctx.origin,
        connectionString: `Endpoint=http://${urlHost};Port=${port};AccessKey=${accessKey};Version=1.0;`,
        port,
        sent: ctx.sent,
        connections: (hub) => registry.all(hub).map((c) => ({
            connectionId: c.id,
            ...(c.userId !== undefined ? { userId: c.userId } : {}),
            hub: c.hub,
            groups: [...c.groups],
        })),
        setAvailable(up) {
            ctx.available = up;
        },
        close() {
            closed ??= new Promise<void>((resolve) => {
                registry.terminateAll();
                wss.close();
                server.close(() => resolve());
                server.closeAllConnections();
            });
            return closed;
        },
    };
}
