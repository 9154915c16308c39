import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';

import { doctor } from '../../cli/doctor';
import { createTerminal } from '../../cli/terminal';
import { type Azurite, startAzurite } from '../../devhost/azurite';
import { startWebPubSubHub, type WebPubSubHub } from '../../devhost/webpubsub';
import { CONFIG_KEYS, loadConfig } from '../../src/shared/config';
import { capture, cli, fakeServer, json, type Recorded, settingsFile } from './support';

const GEMINI_KEY = 'AIzaGoodKey-for-doctor-tests-000000000000';

/** ARM, two Databricks workspaces, Gemini, Ollama and the app's health endpoint, each checking its credential. */
function answer(req: Recorded, res: ServerResponse): void {
    const path = req.url.split('?')[0];
    const bearer = req.headers.authorization;
    if (path === '/hang/subscriptions') return; // never answers
    if (path === '/arm/subscriptions') {
        return bearer === 'Bearer arm-token' || bearer === 'Bearer identity-token'
            ? json(res, 200, { value: [{ subscriptionId: 's1' }, { subscriptionId: 's2' }] })
            : json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } });
    }
    if (path === '/dbx/ok/api/2.2/jobs/list') return bearer === 'Bearer dbx-token' ? json(res, 200, { jobs: [] }) : json(res, 401, {});
    if (path === '/dbx/denied/api/2.2/jobs/list') return json(res, 403, { error_code: 'PERMISSION_DENIED', message: 'not allowed to list jobs' });
    if (path === '/gemini/v1beta/models/gemini-2.5-flash') {
        return req.headers['x-goog-api-key'] === GEMINI_KEY
            ? json(res, 200, { name: 'models/gemini-2.5-flash' })
            : json(res, 400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.' } });
    }
    if (path === '/ollama/api/tags') return json(res, 200, { models: [{ name: 'llama3.1:8b' }] });
    if (path === '/app/api/health') return json(res, 200, { status: 'ok' });
    json(res, 404, { error: 'no such route' });
}

describe('npx autoheal doctor', () => {
    let azurite: Azurite;
    let hub: WebPubSubHub;
    let server: Awaited<ReturnType<typeof fakeServer>>;
    let base: Record<string, string>;

    before(async () => {
        [azurite, hub, server] = await Promise.all([startAzurite(), startWebPubSubHub(), fakeServer(answer)]);
        const config = loadConfig({ STORAGE_CONNECTION_STRING: azurite.connectionString });
        const values = config as unknown as Record<string, string>;
        for (const key of CONFIG_KEYS.filter((k) => k.endsWith('_TABLE'))) {
            await TableClient.fromConnectionString(azurite.connectionString, values[key]!, { allowInsecureConnection: true }).createTable();
        }
        await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(config.AUDIT_CONTAINER).createIfNotExists();
        base = {
            STORAGE_CONNECTION_STRING: azurite.connectionString,
            ARM_ENDPOINT: `${server.url}/arm`,
            ARM_ACCESS_TOKEN: 'arm-token',
            DATABRICKS_WORKSPACES: `1001=${server.url}/dbx/ok`,
            DATABRICKS_TOKEN: 'dbx-token',
            GEMINI_API_KEY: GEMINI_KEY,
            GEMINI_BASE_URL: `${server.url}/gemini`,
            OLLAMA_URL: `${server.url}/ollama`,
            WEBPUBSUB_CONNECTION_STRING: hub.connectionString,
            PUBLIC_BASE_URL: `${server.url}/app`,
        };
    });
    after(() => Promise.all([azurite.close(), hub.close(), server.close()]));

    it('validates the configuration and reaches every configured dependency, one PASS line each', async () => {
        server.requests.length = 0;
        const { code, out } = await cli(['doctor', '--settings', settingsFile(base)]);
        assert.equal(code, 0, out);
        const names = [...out.matchAll(/^PASS ([\w ]+?):/gm)].map((m) => m[1]);
        assert.deepEqual(names, ['configuration', 'storage', 'arm', 'databricks 1001', 'gemini', 'ollama', 'webpubsub', 'app']);
        const tables = CONFIG_KEYS.filter((k) => k.endsWith('_TABLE')).length;
        assert.match(out, new RegExp(`^PASS storage: ${tables} tables and 1 container\\(s\\) read \\(connection string\\)$`, 'm'));
        assert.match(out, /^PASS arm: .* accepted the ARM_ACCESS_TOKEN token; 2 subscription\(s\) visible$/m);
        assert.match(out, /^Summary: 8 ok, 0 failing/m);
        assert.ok(server.requests.some((r) => r.url === '/dbx/ok/api/2.2/jobs/list?limit=1' && r.headers.authorization === 'Bearer dbx-token'));
    });

    it('prints a FAIL line for each dependency that refuses or does not answer, and exits 1', async () => {
        const broken = {
            ...base,
            ARM_ENDPOINT: `${server.url}/hang`,
            DATABRICKS_WORKSPACES: `1001=${server.url}/dbx/ok,2002=${server.url}/dbx/denied`,
            GEMINI_API_KEY: 'AIzaWrongKey-for-doctor-tests-0000000000',
            WEBPUBSUB_CONNECTION_STRING: 'Endpoint=http://127.0.0.1;Port=9;AccessKey=a2V5;Version=1.0;',
        };
        const { code, out } = await cli(['doctor', '--settings', settingsFile(broken), '--timeout', '400']);
        assert.equal(code, 1);
        assert.match(out, /^FAIL arm: no answer within 400 ms$/m);
        assert.match(out, /^PASS databricks 1001:/m);
        assert.match(out, /^FAIL databricks 2002: .*403 PERMISSION_DENIED: not allowed to list jobs \(check the identity's role assignment or the key\)$/m);
        assert.match(out, /^FAIL gemini: .*400: .*API key not valid/m);
        assert.match(out, /^FAIL webpubsub: /m);
        assert.match(out, /^Summary: \d+ ok, 4 failing/m);
        assert.ok(!out.includes('AIzaWrongKey') && !out.includes('dbx-token') && !out.includes('a2V5'), 'no secret reaches the output');
    });

    it('stops at an invalid configuration, naming the bad keys', async () => {
        const { code, out } = await cli(['doctor', '--settings', settingsFile({ ...base, MAX_AUTO_HEAL_ATTEMPTS: 'three', ARM_ENDPOINT: 'nope' })]);
        assert.equal(code, 1);
        assert.match(out, /^FAIL configuration: Invalid configuration: .*MAX_AUTO_HEAL_ATTEMPTS.*ARM_ENDPOINT|^FAIL configuration: Invalid configuration: .*ARM_ENDPOINT.*MAX_AUTO_HEAL_ATTEMPTS/m);
        assert.doesNotMatch(out, /storage/);
    });

    it('fails a Key Vault reference the platform did not resolve, and marks what is not configured', async () => {
        const settings = {
            STORAGE_CONNECTION_STRING: azurite.connectionString,
            ARM_ENDPOINT: `${server.url}/arm`,
            ARM_ACCESS_TOKEN: 'arm-token',
            GEMINI_API_KEY: '@Microsoft.KeyVault(VaultName=kv-x;SecretName=gemini-api-key)',
        };
        const { code, out } = await cli(['doctor', '--settings', settingsFile(settings)]);
        assert.equal(code, 1);
        assert.match(out, /^FAIL configuration: Key Vault reference not resolved for GEMINI_API_KEY/m);
        assert.match(out, /^SKIP databricks: no workspace configured/m);
        assert.match(out, /^SKIP webpubsub: not configured/m);
    });

    it('reaches ARM with the identity when no token is configured, and warns about storage the app has yet to create', async () => {
        const scopes: string[] = [];
        const credential: TokenCredential = {
            getToken: async (scope) => {
                scopes.push(...[scope].flat());
                return { token: 'identity-token', expiresOnTimestamp: Date.now() + 3_600_000 };
            },
        };
        const values = { STORAGE_CONNECTION_STRING: azurite.connectionString, TICKETS_TABLE: 'notyetcreated', ARM_ENDPOINT: `${server.url}/arm` };
        const out = capture();
        const code = await doctor(values, createTerminal(out.stream), { credential: () => credential });
        assert.equal(code, 0, out.text);
        assert.deepEqual(scopes, ['https://management.azure.com/.default']);
        assert.match(out.text, /^PASS arm: .* accepted the identity token/m);
        assert.match(out.text, /^WARN storage: .*missing, the app creates them on first use: table notyetcreated$/m);
    });
});
