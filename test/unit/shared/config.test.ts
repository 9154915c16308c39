import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { CONFIG_KEYS, ConfigError, loadConfig } from '../../../src/shared/config';

const minimal = { STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };

describe('loadConfig', () => {
    it('applies the documented defaults', () => {
        const config = loadConfig(minimal);
        assert.equal(config.MAX_AUTO_HEAL_ATTEMPTS, 3);
        assert.equal(config.GEMINI_MODEL, 'gemini-2.5-flash');
        assert.equal(config.ARM_ENDPOINT, 'https://management.azure.com');
        assert.equal(config.TICKETS_TABLE, 'tickets');
        assert.equal(config.AUDIT_CONTAINER, 'audit-logs');
        assert.deepEqual(config.DATABRICKS_WORKSPACES, {});
        assert.equal(config.GEMINI_API_KEY, undefined);
    });

    it('treats empty strings as unset, as app settings often arrive', () => {
        assert.equal(loadConfig({ ...minimal, GEMINI_API_KEY: '' }).GEMINI_API_KEY, undefined);
    });

    it('parses the Databricks workspace map', () => {
        const config = loadConfig({ ...minimal, DATABRICKS_WORKSPACES: '5550001112223334=https://adb-5550001112223334.4.azuredatabricks.net/, 12=https://x' });
        assert.deepEqual(config.DATABRICKS_WORKSPACES, { '5550001112223334': 'https://adb-5550001112223334.4.azuredatabricks.net', '12': 'https://x' });
    });

    it('rejects bad settings naming every bad key', () => {
        assert.throws(
            () => loadConfig({ ...minimal, MAX_AUTO_HEAL_ATTEMPTS: 'three', DATABRICKS_WORKSPACES: 'nope', ARM_ENDPOINT: 'not a url' }),
            (e: unknown) => e instanceof ConfigError && /MAX_AUTO_HEAL_ATTEMPTS/.test(e.message) && /DATABRICKS_WORKSPACES/.test(e.message) && /ARM_ENDPOINT/.test(e.message),
        );
    });

    it('requires a storage connection string or account name', () => {
        assert.throws(() => loadConfig({}), /STORAGE_CONNECTION_STRING/);
        assert.equal(loadConfig({ STORAGE_ACCOUNT_NAME: 'stautoheal' }).STORAGE_ACCOUNT_NAME, 'stautoheal');
    });

    it('is mirrored key for key by local.settings.example.json', () => {
        const example = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'local.settings.example.json'), 'utf8')) as { Values: Record<string, string> };
        const hostKeys = ['FUNCTIONS_WORKER_RUNTIME', 'AzureWebJobsStorage'];
        const documented = Object.keys(example.Values).filter((k) => !hostKeys.includes(k)).sort();
        assert.deepEqual(documented, [...CONFIG_KEYS].sort());
    });
});
