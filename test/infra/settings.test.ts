import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { CONFIG_KEYS } from '../../src/shared/config';
import { blockFrom, declarations, entries, file, literal, literalItems, loadBicepFiles, type Entry } from './bicep';

const files = loadBicepFiles();
const example = (
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'local.settings.example.json'), 'utf8')) as {
        Values: Record<string, string>;
    }
).Values;

/** Settings the Functions host (or the Azure SDK's credential) reads, not the app's configuration. */
const HOST_SETTING = [
    /^AzureWebJobsStorage__(credential|clientId|blobServiceUri|queueServiceUri|tableServiceUri)$/,
    /^FUNCTIONS_/,
    /^APPLICATIONINSIGHTS_(CONNECTION_STRING|AUTHENTICATION_STRING)$/,
    /^AZURE_CLIENT_ID$/,
];
const LOCAL_HOST_KEYS = ['FUNCTIONS_WORKER_RUNTIME', 'AzureWebJobsStorage'];
const SECRET = /(_KEY|_TOKEN|_SECRET|_PASSWORD|CONNECTION_STRING)$/;

function functionAppSettings(): Entry[] {
    const api = file(files, 'app/api.bicep');
    const decl = declarations(api).find((d) => d.kind === 'resource' && d.rest.startsWith("'Microsoft.Web/sites/config@"));
    assert.ok(decl, 'api.bicep declares the function app settings (Microsoft.Web/sites/config)');
    const properties = entries(blockFrom(api.code, decl.at).text).find((e) => e.key === 'properties');
    assert.ok(properties, 'the settings resource has properties');
    return entries(properties.value);
}

function mainVar(name: string): string {
    const main = file(files, 'main.bicep');
    const decl = declarations(main).find((d) => d.kind === 'var' && d.name === name);
    assert.ok(decl, `main.bicep declares var ${name}`);
    return decl.rest.replace(/^=\s*/, '');
}

const settings = functionAppSettings();
const bicepKeys = settings.map((s) => s.key);
const appKeys = bicepKeys.filter((k) => !HOST_SETTING.some((p) => p.test(k)));
const sorted = (keys: readonly string[]) => [...keys].sort();

describe('function app settings in Bicep (infra/app/api.bicep)', () => {
    it('list every key of the configuration schema and no other app setting', () => {
        const missing = CONFIG_KEYS.filter((k) => !bicepKeys.includes(k));
        const unknown = appKeys.filter((k) => !CONFIG_KEYS.includes(k));
        assert.deepEqual({ missing, unknown }, { missing: [], unknown: [] });
    });

    it('list each setting once', () => {
        const seen = new Set<string>();
        const repeated = bicepKeys.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
        assert.deepEqual(repeated, []);
    });

    it('set the host up for identity-based storage and Entra-only telemetry', () => {
        const value = (key: string) => settings.find((s) => s.key === key)?.value;
        assert.equal(literal(value('AzureWebJobsStorage__credential') ?? ''), 'managedidentity');
        for (const service of ['blob', 'queue', 'table']) {
            assert.match(value(`AzureWebJobsStorage__${service}ServiceUri`) ?? '', new RegExp(`primaryEndpoints\\.${service}$`));
        }
        assert.match(value('APPLICATIONINSIGHTS_AUTHENTICATION_STRING') ?? '', /Authorization=AAD/);
        assert.equal(value('AzureWebJobsStorage__clientId'), value('AZURE_CLIENT_ID'));
        assert.ok(!bicepKeys.includes('AzureWebJobsStorage'), 'no connection string for the host');
    });

    it('restate the schema defaults of local.settings.example.json wherever they give a literal value', () => {
        const drift = settings
            .filter((s) => CONFIG_KEYS.includes(s.key) && literal(s.value) !== undefined && literal(s.value) !== '')
            .filter((s) => literal(s.value) !== example[s.key])
            .map((s) => `${s.key}: Bicep '${literal(s.value)}', example '${example[s.key]}'`);
        assert.deepEqual(drift, []);
    });

    it('give secrets only as Key Vault references guarded by vaultSecretSettings, or leave them empty', () => {
        const wrong: string[] = [];
        for (const s of settings.filter((e) => CONFIG_KEYS.includes(e.key) && SECRET.test(e.key))) {
            if (literal(s.value) === '') continue;
            const name = s.key.toLowerCase().replace(/_/g, '-');
            const expected =
                `contains(vaultSecrets, '${s.key}') ? ` +
                `'@Microsoft.KeyVault(VaultName=\${keyVaultName};SecretName=${name})' : ''`;
            if (s.value !== expected) wrong.push(`${s.key}: ${s.value}`);
        }
        assert.deepEqual(wrong, []);
    });

    it('keep the connection-string settings empty: Azure uses the identity', () => {
        for (const key of CONFIG_KEYS.filter((k) => k.endsWith('CONNECTION_STRING'))) {
            assert.equal(literal(settings.find((s) => s.key === key)?.value ?? 'missing'), '', key);
        }
    });
});

describe('local.settings.example.json', () => {
    it('lists exactly the schema keys besides the local host settings', () => {
        const keys = Object.keys(example).filter((k) => !LOCAL_HOST_KEYS.includes(k));
        assert.deepEqual(sorted(keys), sorted(CONFIG_KEYS));
    });
});

describe('storage the app uses (infra/main.bicep)', () => {
    it('provisions the table of every *_TABLE setting', () => {
        const tables = literalItems(mainVar('appTables'));
        const missing = CONFIG_KEYS.filter((k) => k.endsWith('_TABLE')).filter((k) => !tables.includes(example[k] ?? ''));
        assert.deepEqual(missing, []);
    });

    it('provisions the container of every *_CONTAINER setting', () => {
        const audit = literal(mainVar('auditContainer'));
        assert.equal(audit, example['AUDIT_CONTAINER']);
        const containers = [audit, ...literalItems(mainVar('otherContainers'))];
        const missing = CONFIG_KEYS.filter((k) => k.endsWith('_CONTAINER')).filter((k) => !containers.includes(example[k]));
        assert.deepEqual(missing, []);
    });

    it('creates the Web PubSub hub the app broadcasts to', () => {
        assert.equal(literal(mainVar('webPubSubHub')), example['WEBPUBSUB_HUB']);
    });
});
