import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { readBody, send } from '../functions/httpHost';
import { type DurableEngine, InstanceExistsError, InstanceNotFoundError } from './engine';

/**
 * The Durable extension's HTTP API (the `rpcBaseUrl` routes), so the real DurableClient works unchanged.
 * Like the host's own RPC endpoint it listens on loopback only, on its own port.
 */
export async function startDurableApi(engine: DurableEngine, hubName: string, publicBaseUrl: () => string) {
    const server: Server = createServer((req, res) => {
        void (async () => {
            const body = await readBody(req, 16 * 1024 * 1024);
            if (body === 'too-large') return send(res, 413);
            const url = new URL(req.url ?? '/', 'http://127.0.0.1');
            const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
            if (parts[0] !== 'durabletask') return send(res, 404);
            const [, kind, a, b, c] = parts;
            const method = req.method ?? 'GET';
            try {
                if (kind === 'orchestrators' && method === 'POST' && a) {
                    const text = body.toString('utf8');
                    const id = await engine.startNew(a, b, text ? JSON.parse(text) : undefined);
                    return send(res, 202, { id, ...managementUrls(publicBaseUrl(), hubName, id) });
                }
                if (kind === 'instances' && !a && method === 'GET') return send(res, 200, await engine.list());
                if (kind === 'instances' && a && !b && method === 'GET') {
                    const status = await engine.getStatus(a, url.searchParams.get('showHistory') === 'true');
                    return status ? send(res, 200, status) : send(res, 404);
                }
                if (kind === 'instances' && a && !b && method === 'DELETE') {
                    const deleted = await engine.purge(a);
                    return deleted ? send(res, 200, { instancesDeleted: deleted }) : send(res, 404);
                }
                if (kind === 'instances' && a && b === 'raiseEvent' && c && method === 'POST') {
                    const status = await engine.getStatus(a);
                    if (!status) return send(res, 404);
                    if (['Completed', 'Failed', 'Terminated'].includes(String(status['runtimeStatus']))) return send(res, 410);
                    const text = body.toString('utf8');
                    await engine.raiseEvent(a, c, text ? JSON.parse(text) : null);
                    return send(res, 202);
                }
                if (kind === 'instances' && a && b === 'terminate' && method === 'POST') {
                    const done = await engine.terminate(a, url.searchParams.get('reason') ?? '');
                    return send(res, done ? 202 : 410);
                }
                return send(res, 404);
            } catch (e) {
                if (e instanceof InstanceExistsError) return send(res, 409, { message: e.message });
                if (e instanceof InstanceNotFoundError) return send(res, 404, { message: e.message });
                if (e instanceof SyntaxError) return send(res, 400, { message: 'body is not JSON' });
                return send(res, 500, { message: (e as Error).message });
            }
        })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const rpcBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/durabletask/`;
    return {
        rpcBaseUrl,
        clientData: (functionKey: string) => clientData(publicBaseUrl(), hubName, rpcBaseUrl, functionKey),
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

function managementUrls(base: string, hub: string, id: string) {
    const root = `${base}/runtime/webhooks/durabletask/instances/${encodeURIComponent(id)}`;
    const q = `taskHub=${hub}&connection=Storage`;
    return {
        statusQueryGetUri: `${root}?${q}`,
        sendEventPostUri: `${root}/raiseEvent/{eventName}?${q}`,
        terminatePostUri: `${root}/terminate?reason={text}&${q}`,
        purgeHistoryDeleteUri: `${root}?${q}`,
    };
}

function clientData(base: string, hub: string, rpcBaseUrl: string, key: string): Record<string, unknown> {
    const q = `taskHub=${hub}&connection=Storage&code=${key}`;
    const root = `${base}/runtime/webhooks/durabletask`;
    return {
        taskHubName: hub,
        creationUrls: {
            createNewInstancePostUri: `${root}/orchestrators/{functionName}[/{instanceId}]?code=${key}`,
            createAndWaitOnNewInstancePostUri: `${root}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=${key}`,
        },
        managementUrls: {
            id: 'INSTANCEID',
            statusQueryGetUri: `${root}/instances/INSTANCEID?${q}`,
            sendEventPostUri: `${root}/instances/INSTANCEID/raiseEvent/{eventName}?${q}`,
            terminatePostUri: `${root}/instances/INSTANCEID/terminate?reason={text}&${q}`,
            rewindPostUri: `${root}/instances/INSTANCEID/rewind?reason={text}&${q}`,
            purgeHistoryDeleteUri: `${root}/instances/INSTANCEID?${q}`,
            restartPostUri: `${root}/instances/INSTANCEID/restart?${q}`,
            suspendPostUri: `${root}/instances/INSTANCEID/suspend?reason={text}&${q}`,
            resumePostUri: `${root}/instances/INSTANCEID/resume?reason={text}&${q}`,
        },
        baseUrl: `${root}`,
        requiredQueryStringParameters: `code=${key}`,
        rpcBaseUrl,
    };
}
