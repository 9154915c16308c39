import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import WebSocket from 'ws';
import { startWebPubSubHub, type WebPubSubHub } from '../../devhost/webpubsub';

const HUB = 'tickets';
type Frame = Record<string, unknown>;

async function waitFor(cond: () => boolean, what: string, ms = 3000): Promise<void> {
    const until = Date.now() + ms;
    while (!cond()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
    }
}

describe('local Web PubSub hub wire protocol', () => {
    const accessKey = randomBytes(16).toString('hex');
    const key = new TextEncoder().encode(accessKey);
    let hub: WebPubSubHub;
    let service: WebPubSubServiceClient;
    const sockets: WebSocket[] = [];

    beforeEach(async () => {
        hub = await startWebPubSubHub({ accessKey });
        service = new WebPubSubServiceClient(hub.connectionString, HUB, { allowInsecureConnection: true });
    });

    afterEach(async () => {
        for (const ws of sockets.splice(0)) ws.terminate();
        await hub.close();
    });

    async function open(url: string, protocol?: string) {
        const ws = new WebSocket(url, protocol ? [protocol] : []);
        sockets.push(ws);
        const frames: Frame[] = [];
        const raw: { data: string | Buffer; binary: boolean }[] = [];
        const closed: { code?: number } = {};
        ws.on('message', (data: Buffer, binary: boolean) => {
            raw.push({ data: binary ? data : data.toString('utf8'), binary });
            if (protocol && !binary) frames.push(JSON.parse(data.toString('utf8')) as Frame);
        });
        ws.on('close', (code) => (closed.code = code));
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
        return { ws, frames, raw, closed, send: (f: Frame) => ws.send(JSON.stringify(f)) };
    }

    async function clientUrl(opts: Parameters<WebPubSubServiceClient['getClientAccessToken']>[0] = {}) {
        return (await service.getClientAccessToken(opts)).url;
    }

    async function rest(method: string, path: string, body?: string, contentType = 'application/json', aud = path) {
        const url = `${hub.endpoint}${path}`;
        const { SignJWT } = await import('jose');
        const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setAudience(`${hub.endpoint}${aud}`)
            .setExpirationTime('1h').sign(key);
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (body !== undefined) headers['content-type'] = contentType;
        return fetch(url, { method, headers, body });
    }

    it('speaks json.webpubsub.azure.v1 to a plain WebSocket', async () => {
        const c = await open(await clientUrl({ userId: 'dash' }), 'json.webpubsub.azure.v1');
        await waitFor(() => c.frames.length === 1, 'connected event');
        const [connected] = c.frames;
        assert.equal(connected?.type, 'system');
        assert.equal(connected?.event, 'connected');
        assert.equal(connected?.userId, 'dash');
        assert.equal(connected?.connectionId, hub.connections(HUB)[0]?.connectionId);
        assert.equal(connected?.reconnectionToken, undefined);

        await service.sendToAll({ kind: 'hello' });
        await service.sendToAll('text body', { contentType: 'text/plain' });
        await service.sendToAll(new Uint8Array([1, 2, 3]));
        await waitFor(() => c.frames.length === 4, 'server messages');
        assert.deepEqual(c.frames.slice(1), [
            { type: 'message', from: 'server', dataType: 'json', data: { kind: 'hello' } },
            { type: 'message', from: 'server', dataType: 'text', data: 'text body' },
            { type: 'message', from: 'server', dataType: 'binary', data: Buffer.from([1, 2, 3]).toString('base64') },
        ]);

        c.send({ type: 'ping' });
        c.send({ type: 'joinGroup', group: 'g', ackId: 1 });
        c.send({ type: 'event', event: 'hello', dataType: 'text', data: 'x', ackId: 2 });
        c.send({ type: 'event', event: 'hello', dataType: 'text', data: 'x', ackId: 2 });
        await waitFor(() => c.frames.length === 8, 'replies');
        assert.deepEqual(c.frames[4], { type: 'pong' });
        assert.deepEqual({ ...c.frames[5], error: (c.frames[5]?.error as Frame).name },
            { type: 'ack', ackId: 1, success: false, error: 'Forbidden' });
        assert.deepEqual(c.frames[6], { type: 'ack', ackId: 2, success: true });
        assert.equal((c.frames[7]?.error as Frame).name, 'Duplicate');
    });

    it('sends bare data, and no protocol frames, to a connection without a subprotocol', async () => {
        const c = await open(await clientUrl({ userId: 'raw' }));
        await waitFor(() => hub.connections(HUB).length === 1, 'connection');
        await service.sendToAll({ kind: 'hello' });
        await service.sendToUser('raw', 'just text', { contentType: 'text/plain' });
        await service.sendToAll(new Uint8Array([7, 8]));
        await waitFor(() => c.raw.length === 3, 'raw messages');
        assert.deepEqual(c.raw, [
            { data: '{"kind":"hello"}', binary: false },
            { data: 'just text', binary: false },
            { data: Buffer.from([7, 8]), binary: true },
        ]);
    });

    it('numbers reliable messages and replays unacknowledged ones after a recovery', async () => {
        const url = await clientUrl({ userId: 'rel' });
        const first = await open(url, 'json.reliable.webpubsub.azure.v1');
        await waitFor(() => first.frames.length === 1, 'connected');
        const { connectionId, reconnectionToken } = first.frames[0] as Record<string, string>;
        assert.equal(typeof reconnectionToken, 'string');

        await service.sendToAll({ n: 1 });
        await service.sendToAll({ n: 2 });
        await waitFor(() => first.frames.length === 3, 'messages');
        assert.deepEqual(first.frames.slice(1).map((f) => f.sequenceId), [1, 2]);
        first.send({ type: 'sequenceAck', sequenceId: 1 });
        await new Promise((r) => setTimeout(r, 50));
        first.ws.terminate();
        await waitFor(() => first.closed.code !== undefined, 'drop');
        await service.sendToAll({ n: 3 });

        const recoverUrl = `${url}&awps_connection_id=${connectionId}&awps_reconnection_token=${reconnectionToken}`;
        const second = await open(recoverUrl, 'json.reliable.webpubsub.azure.v1');
        await waitFor(() => second.frames.length === 3, 'replay');
        assert.equal(second.frames[0]?.connectionId, connectionId);
        assert.deepEqual(second.frames.slice(1).map((f) => [f.sequenceId, f.data]), [[2, { n: 2 }], [3, { n: 3 }]]);

        const bogus = await open(`${url}&awps_connection_id=nope&awps_reconnection_token=x`,
            'json.reliable.webpubsub.azure.v1');
        await waitFor(() => bogus.closed.code !== undefined, 'bogus recovery closed');
        assert.equal(bogus.closed.code, 1008);
        assert.equal(bogus.frames[0]?.event, 'disconnected');
    });

    it('closes a connection on request with a disconnected event and a no-recovery close code', async () => {
        const c = await open(await clientUrl({ userId: 'x' }), 'json.reliable.webpubsub.azure.v1');
        await waitFor(() => c.frames.length === 1, 'connected');
        await service.closeConnection(c.frames[0]?.connectionId as string, { reason: 'bye' });
        await waitFor(() => c.closed.code !== undefined, 'close');
        assert.equal(c.closed.code, 1008);
        assert.deepEqual(c.frames[1], { type: 'system', event: 'disconnected', message: 'bye' });
        assert.equal(hub.connections().length, 0);
    });

    it('manages groups, users and permissions through REST', async () => {
        const a = await open(await clientUrl({ userId: 'alice' }), 'json.webpubsub.azure.v1');
        await waitFor(() => a.frames.length === 1, 'connected');
        const id = a.frames[0]?.connectionId as string;
        await service.group('ops').addConnection(id);
        await service.group('audit').addUser('bob');
        await service.grantPermission(id, 'joinLeaveGroup', { targetName: 'chat' });
        assert.equal(await service.hasPermission(id, 'joinLeaveGroup', { targetName: 'chat' }), true);
        assert.equal(await service.hasPermission(id, 'sendToGroup', { targetName: 'chat' }), false);
        a.send({ type: 'joinGroup', group: 'chat', ackId: 1 });
        await waitFor(() => a.frames.length === 2, 'ack');
        assert.deepEqual(a.frames[1], { type: 'ack', ackId: 1, success: true });
        assert.deepEqual(hub.connections(HUB)[0]?.groups, ['ops', 'chat']);

        const b = await open(await clientUrl({ userId: 'bob' }), 'json.webpubsub.azure.v1');
        await waitFor(() => hub.connections(HUB).length === 2, 'bob');
        await service.group('audit').sendToAll({ audit: 1 });
        await service.group('ops').removeConnection(id);
        await service.group('ops').sendToAll({ ops: 1 });
        await service.sendToAll({ onlyBob: true }, { filter: "userId eq 'bob'" });
        await waitFor(() => b.frames.length === 3, 'bob messages');
        assert.deepEqual(b.frames.slice(1).map((f) => f.data), [{ audit: 1 }, { onlyBob: true }]);
        assert.equal(b.frames[1]?.group, 'audit');
        assert.equal(a.frames.length, 2);
    });

    it('issues client tokens from :generateToken', async () => {
        const res = await rest('POST', `/api/hubs/${HUB}/:generateToken?userId=gen&group=g1&api-version=2024-12-01`);
        assert.equal(res.status, 200);
        const { token } = (await res.json()) as { token: string };
        const c = await open(`ws://127.0.0.1:${hub.port}/client/hubs/${HUB}?access_token=${token}`,
            'json.webpubsub.azure.v1');
        await waitFor(() => c.frames.length === 1, 'connected');
        assert.equal(c.frames[0]?.userId, 'gen');
        assert.deepEqual(hub.connections(HUB)[0]?.groups, ['g1']);
    });

    it('answers REST mistakes with JSON errors', async () => {
        const unknown = await rest('POST', `/api/hubs/${HUB}/:nothing?api-version=1`, '{}');
        assert.equal(unknown.status, 404);
        assert.equal(((await unknown.json()) as { code: string }).code, 'NotFound');
        const badJson = await rest('POST', `/api/hubs/${HUB}/:send?api-version=1`, '{nope');
        assert.equal(badJson.status, 400);
        assert.equal(((await badJson.json()) as { code: string }).code, 'BadRequest');
        assert.equal((await rest('POST', `/api/hubs/${HUB}/:send`, 'x', 'image/png')).status, 400);
        assert.equal((await rest('GET', `/api/hubs/${HUB}/:send`)).status, 405);
        assert.equal((await rest('POST', `/api/hubs/${HUB}/:send?filter=userId%20likes%20x`, '{}')).status, 400);
        const otherAud = `/api/hubs/other/:send?api-version=1`;
        const misaddressed = await rest('POST', `/api/hubs/${HUB}/:send?api-version=1`, '{}', undefined, otherAud);
        assert.equal(misaddressed.status, 401);
        assert.equal(hub.sent.length, 0);
    });

    it('refuses an unsupported subprotocol and an unknown path', async () => {
        const status = (url: string, protocol: string) => new Promise<number>((resolve, reject) => {
            const ws = new WebSocket(url, protocol);
            ws.on('unexpected-response', (req, res) => (resolve(res.statusCode ?? 0), req.destroy()));
            ws.on('open', () => reject(new Error('accepted')));
            ws.on('error', () => undefined);
        });
        const url = await clientUrl({ userId: 'p' });
        assert.equal(await status(url, 'protobuf.webpubsub.azure.v1'), 400);
        assert.equal(await status(url.replace('/client/hubs/', '/elsewhere/'), 'json.webpubsub.azure.v1'), 404);
        assert.equal(hub.connections().length, 0);
    });
});
