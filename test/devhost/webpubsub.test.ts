import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { WebPubSubServiceClient, type GenerateClientTokenOptions } from '@azure/web-pubsub';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import WebSocket from 'ws';
import { startWebPubSubHub, type WebPubSubHub } from '../../devhost/webpubsub';

const HUB = 'tickets';
// The client SDK's keep-alive loops sleep in un-cancellable timers (up to 40 s) after stop(); disable them so
// the test process exits promptly. Failed acks would otherwise be retried 3 times, 1 s apart.
const clientOpts = () => ({
    messageRetryOptions: { maxRetries: 0 }, autoReconnect: false, keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0,
});

async function waitFor(cond: () => boolean, what: string, ms = 3000): Promise<void> {
    const until = Date.now() + ms;
    while (!cond()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
    }
}

function upgradeStatus(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const ws = new WebSocket(url, 'json.webpubsub.azure.v1');
        ws.on('unexpected-response', (req, res) => {
            resolve(res.statusCode ?? 0);
            req.destroy();
        });
        ws.on('open', () => reject(new Error('the upgrade was accepted')));
        ws.on('error', () => undefined);
    });
}

interface GroupMsg {
    group: string;
    fromUserId?: string;
    data: unknown;
}

describe('local Web PubSub hub with the real SDKs', () => {
    let hub: WebPubSubHub;
    let service: WebPubSubServiceClient;
    const clients: WebPubSubClient[] = [];

    beforeEach(async () => {
        hub = await startWebPubSubHub();
        service = new WebPubSubServiceClient(hub.connectionString, HUB, {
            allowInsecureConnection: true,
            retryOptions: { maxRetries: 0 },
        });
    });

    afterEach(async () => {
        for (const c of clients.splice(0)) c.stop();
        await hub.close();
    });

    async function connect(opts: GenerateClientTokenOptions) {
        const { url } = await service.getClientAccessToken(opts);
        const client = new WebPubSubClient(url, clientOpts());
        clients.push(client);
        const server: unknown[] = [];
        const group: GroupMsg[] = [];
        client.on('server-message', (e) => server.push(e.message.data));
        client.on('group-message', (e) => group.push({
            group: e.message.group, fromUserId: e.message.fromUserId, data: e.message.data,
        }));
        await client.start();
        return { client, server, group };
    }

    it('delivers sendToAll, group and user sends from the server SDK to WebPubSubClient', async () => {
        const alice = await connect({ userId: 'alice', groups: ['run-1'] });
        const bob = await connect({ userId: 'bob' });
        await waitFor(() => hub.connections(HUB).length === 2, 'two connections');

        await service.sendToAll({ kind: 'hello' });
        await service.sendToAll('plain text', { contentType: 'text/plain' });
        await service.group('run-1').sendToAll({ progress: 50 });
        await service.sendToUser('bob', { only: 'bob' });

        await waitFor(() => alice.server.length === 2 && bob.server.length === 3, 'server messages');
        assert.deepEqual(alice.server, [{ kind: 'hello' }, 'plain text']);
        assert.deepEqual(bob.server, [{ kind: 'hello' }, 'plain text', { only: 'bob' }]);
        await waitFor(() => alice.group.length === 1, 'group message');
        assert.deepEqual(alice.group, [{ group: 'run-1', fromUserId: undefined, data: { progress: 50 } }]);
        assert.equal(bob.group.length, 0);
        assert.deepEqual(hub.sent.map((s) => [s.hub, s.target, s.data]), [
            [HUB, 'all', { kind: 'hello' }],
            [HUB, 'all', 'plain text'],
            [HUB, 'group:run-1', { progress: 50 }],
            [HUB, 'user:bob', { only: 'bob' }],
        ]);
    });

    it('honours excluded connection ids on sendToAll', async () => {
        const alice = await connect({ userId: 'alice' });
        const bob = await connect({ userId: 'bob' });
        await waitFor(() => hub.connections(HUB).length === 2, 'two connections');
        const aliceId = hub.connections(HUB).find((c) => c.userId === 'alice')?.connectionId as string;

        await service.sendToAll({ n: 1 }, { excludedConnections: [aliceId] });
        await service.sendToAll({ n: 2 });

        await waitFor(() => alice.server.length === 1 && bob.server.length === 2, 'messages');
        assert.deepEqual(alice.server, [{ n: 2 }]);
        assert.deepEqual(bob.server, [{ n: 1 }, { n: 2 }]);
    });

    it('reports users, groups and connections through the HEAD APIs', async () => {
        await connect({ userId: 'alice', groups: ['run-1'] });
        await waitFor(() => hub.connections(HUB).length === 1, 'connection');
        const [info] = hub.connections(HUB);
        assert.deepEqual(info?.groups, ['run-1']);
        assert.equal(await service.userExists('alice'), true);
        assert.equal(await service.userExists('nobody'), false);
        assert.equal(await service.groupExists('run-1'), true);
        assert.equal(await service.groupExists('run-2'), false);
        assert.equal(await service.connectionExists(info?.connectionId as string), true);
        assert.equal(await service.connectionExists('missing'), false);
    });

    it('gives a token-joined group to a client without roles but refuses joinGroup without a role', async () => {
        const viewer = await connect({ userId: 'viewer', groups: ['run-1'] });
        await service.group('run-1').sendToAll({ step: 1 });
        await waitFor(() => viewer.group.length === 1, 'group message');
        assert.deepEqual(viewer.group[0]?.data, { step: 1 });

        await assert.rejects(viewer.client.joinGroup('run-2'), (err: { errorDetail?: { name?: string } }) => {
            assert.equal(err.errorDetail?.name, 'Forbidden');
            return true;
        });
        assert.deepEqual(hub.connections(HUB)[0]?.groups, ['run-1']);
    });

    it('lets a client with the joinLeaveGroup role join and then receive the group', async () => {
        const member = await connect({ userId: 'm', roles: ['webpubsub.joinLeaveGroup.run-7'] });
        await member.client.joinGroup('run-7');
        await assert.rejects(member.client.joinGroup('run-8'));
        await service.group('run-7').sendToAll({ step: 7 });
        await waitFor(() => member.group.length === 1, 'group message');
        assert.deepEqual(member.group[0], { group: 'run-7', fromUserId: undefined, data: { step: 7 } });
        await member.client.leaveGroup('run-7');
        assert.deepEqual(hub.connections(HUB)[0]?.groups, []);
    });

    it('delivers sendToGroup from a client with the sendToGroup role and refuses one without it', async () => {
        const alice = await connect({ userId: 'alice', groups: ['run-1'], roles: ['webpubsub.sendToGroup'] });
        const bob = await connect({ userId: 'bob', groups: ['run-1'] });

        await alice.client.sendToGroup('run-1', { chat: 'hi' }, 'json', { noEcho: true });
        await waitFor(() => bob.group.length === 1, 'group message at bob');
        assert.deepEqual(bob.group[0], { group: 'run-1', fromUserId: 'alice', data: { chat: 'hi' } });

        await assert.rejects(bob.client.sendToGroup('run-1', 'nope', 'text'),
            (err: { errorDetail?: { name?: string } }) => err.errorDetail?.name === 'Forbidden');
        await alice.client.sendToGroup('run-1', 'echo', 'text');
        await waitFor(() => alice.group.length === 1 && bob.group.length === 2, 'echoed message');
        assert.deepEqual(alice.group.map((m) => m.data), ['echo']);
        assert.deepEqual(bob.group.map((m) => m.data), [{ chat: 'hi' }, 'echo']);
    });

    it('answers 401 to a REST call signed with the wrong key and the SDK throws', async () => {
        const listener = await connect({ userId: 'alice' });
        const wrong = new WebPubSubServiceClient(
            hub.connectionString.replace(/AccessKey=[^;]+/, 'AccessKey=not-the-key'), HUB,
            { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
        );
        await assert.rejects(wrong.sendToAll({ x: 1 }), (err: { statusCode?: number }) => err.statusCode === 401);
        const res = await fetch(`${hub.endpoint}/api/hubs/${HUB}/:send?api-version=2024-12-01`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
        });
        assert.equal(res.status, 401);
        await service.sendToAll({ x: 2 });
        await waitFor(() => listener.server.length === 1, 'valid message');
        assert.deepEqual(listener.server, [{ x: 2 }]);
        assert.equal(hub.sent.length, 1);
    });

    it('refuses a client whose token has expired', async () => {
        const key = new TextEncoder().encode(/AccessKey=([^;]+)/.exec(hub.connectionString)?.[1]);
        const now = Math.floor(Date.now() / 1000);
        const claims = { aud: `${hub.endpoint}/client/hubs/${HUB}`, sub: 'late' };
        const { SignJWT } = await import('jose');
        const sign = (exp: number) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' })
            .setIssuedAt(now - 120).setExpirationTime(exp).sign(key);
        const wsUrl = `ws://127.0.0.1:${hub.port}/client/hubs/${HUB}?access_token=`;

        const expiredToken = await sign(now - 60);
        await assert.rejects(new WebPubSubClient(wsUrl + expiredToken, clientOpts()).start());
        assert.equal(await upgradeStatus(wsUrl + expiredToken), 401);
        assert.equal(await upgradeStatus(wsUrl + 'garbage'), 401);
        assert.equal(hub.connections().length, 0);

        const fresh = new WebPubSubClient(wsUrl + await sign(now + 600), clientOpts());
        clients.push(fresh);
        await fresh.start();
        await waitFor(() => hub.connections(HUB).length === 1, 'valid connection');
        assert.equal(hub.connections(HUB)[0]?.userId, 'late');
    });

    it('answers 503 and refuses new clients while unavailable', async () => {
        hub.setAvailable(false);
        await assert.rejects(service.sendToAll({ down: true }),
            (err: { statusCode?: number }) => err.statusCode === 503);
        const { url } = await service.getClientAccessToken({ userId: 'alice' });
        const refused = new WebPubSubClient(url, clientOpts());
        await assert.rejects(refused.start());
        assert.equal(hub.connections().length, 0);
        assert.equal(hub.sent.length, 0);

        hub.setAvailable(true);
        const alice = await connect({ userId: 'alice' });
        await service.sendToAll({ up: true });
        await waitFor(() => alice.server.length === 1, 'message after recovery');
        assert.deepEqual(alice.server, [{ up: true }]);
    });
});
