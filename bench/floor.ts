import { TableClient } from '@azure/data-tables';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The floor: a bare HTTP endpoint that does one Table insert per alert (no parsing, no archive, no durable
 * start) against the same storage endpoint as the app, then answers 202.
 */
export async function startFloor(connectionString: string): Promise<{ url: string; close(): Promise<void> }> {
    const table = TableClient.fromConnectionString(connectionString, 'benchfloor', { allowInsecureConnection: true });
    await table.createTable();
    let n = 0;
    const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
            const entity = { partitionKey: 'floor', rowKey: `${n++}-${randomUUID()}`, bytes: Buffer.concat(chunks).length };
            table.createEntity(entity).then(
                () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"accepted"}'),
                () => res.writeHead(503).end(),
            );
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
