import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { WebPubSubServiceClient } from '@azure/web-pubsub';

import { type Config, CONFIG_KEYS } from '../src/shared/config';
import { ARM_SCOPE, DATABRICKS_SCOPE } from '../src/shared/deps';
import { createHttpClient } from '../src/shared/clients/http';
import { credentialToken, staticToken, type TokenProvider } from '../src/shared/clients/tokens';
import { type Check, type ProbeOptions, pass, skip } from './check';
import { appCheck, modelChecks } from './httpChecks';

const statusOf = (e: unknown) => (e as { statusCode?: number }).statusCode;

/** The names of every table and container the configuration points at (TICKETS_TABLE, AUDIT_CONTAINER, …). */
function storageNames(config: Config, suffix: '_TABLE' | '_CONTAINER'): string[] {
    const values = config as unknown as Record<string, unknown>;
    return CONFIG_KEYS.filter((k) => k.endsWith(suffix)).map((k) => String(values[k]));
}

function storageCheck(config: Config, opts: ProbeOptions): Check {
    return {
        name: 'storage',
        async run(signal) {
            const cs = config.STORAGE_CONNECTION_STRING;
            const account = config.STORAGE_ACCOUNT_NAME;
            const table = (name: string) =>
                cs ? TableClient.fromConnectionString(cs, name, { allowInsecureConnection: true })
                    : new TableClient(`https://${account}.table.core.windows.net`, name, opts.credential());
            const blobs = cs ? BlobServiceClient.fromConnectionString(cs) : new BlobServiceClient(`https://${account}.blob.core.windows.net`, opts.credential());
            const missing: string[] = [];
            const tables = storageNames(config, '_TABLE');
            for (const name of tables) {
                try {
                    await table(name).listEntities({ queryOptions: { select: ['PartitionKey'] }, abortSignal: signal }).byPage({ maxPageSize: 1 }).next();
                } catch (e) {
                    if (statusOf(e) !== 404) throw e;
                    missing.push(`table ${name}`);
                }
            }
            const containers = storageNames(config, '_CONTAINER');
            for (const name of containers) {
                if (!(await blobs.getContainerClient(name).exists({ abortSignal: signal }))) missing.push(`container ${name}`);
            }
            const where = cs ? 'connection string' : `account ${account}, identity`;
            const found = `${tables.length} tables and ${containers.length} container(s) read (${where})`;
            if (missing.length === 0) return pass(found);
            return { status: 'warn', detail: `${found}; missing, the app creates them on first use: ${missing.join(', ')}` };
        },
    };
}

function tokenFor(staticValue: string | undefined, scope: string, opts: ProbeOptions): TokenProvider {
    return staticValue ? staticToken(staticValue) : credentialToken(opts.credential(), scope);
}

function armCheck(config: Config, opts: ProbeOptions): Check {
    return {
        name: 'arm',
        async run() {
            const http = createHttpClient({ token: tokenFor(config.ARM_ACCESS_TOKEN, ARM_SCOPE, opts), timeoutMs: opts.timeoutMs, fetch: opts.fetch });
            const base = config.ARM_ENDPOINT.replace(/\/+$/, '');
            const res = (await http.send({ method: 'GET', url: `${base}/subscriptions?api-version=2022-12-01` })) as { value?: unknown[] } | undefined;
            const how = config.ARM_ACCESS_TOKEN ? 'ARM_ACCESS_TOKEN' : 'identity';
            return pass(`${base} accepted the ${how} token; ${res?.value?.length ?? 0} subscription(s) visible`);
        },
    };
}

function databricksChecks(config: Config, opts: ProbeOptions): Check[] {
    const workspaces = Object.entries(config.DATABRICKS_WORKSPACES);
    if (workspaces.length === 0) return [{ name: 'databricks', run: async () => skip('no workspace configured (DATABRICKS_WORKSPACES)') }];
    const token = tokenFor(config.DATABRICKS_TOKEN, DATABRICKS_SCOPE, opts);
    return workspaces.map(([id, url]) => ({
        name: `databricks ${id}`,
        async run() {
            const http = createHttpClient({ token, timeoutMs: opts.timeoutMs, fetch: opts.fetch });
            await http.send({ method: 'GET', url: `${url}/api/2.2/jobs/list?limit=1` });
            return pass(`${new URL(url).host} answered jobs/list (${config.DATABRICKS_TOKEN ? 'DATABRICKS_TOKEN' : 'Entra token'})`);
        },
    }));
}

function webPubSubCheck(config: Config, opts: ProbeOptions): Check {
    return {
        name: 'webpubsub',
        async run(signal) {
            const hub = config.WEBPUBSUB_HUB;
            const cs = config.WEBPUBSUB_CONNECTION_STRING;
            const endpoint = config.WEBPUBSUB_ENDPOINT;
            if (!cs && !endpoint) return skip('not configured: dashboards fall back to polling');
            const client = cs
                ? new WebPubSubServiceClient(cs, hub, { allowInsecureConnection: cs.includes('http://') })
                : new WebPubSubServiceClient(endpoint!, opts.credential(), hub, { allowInsecureConnection: endpoint!.startsWith('http://') });
            // A connection id nobody uses: "false" proves the service answered and accepted our credentials.
            await client.connectionExists('autoheal-doctor-probe', { abortSignal: signal });
            return pass(`hub ${hub} answered (${cs ? 'access key' : 'identity'})`);
        },
    };
}

/** One probe per configured dependency, each read-only. */
export function checksFor(config: Config, opts: ProbeOptions): Check[] {
    return [storageCheck(config, opts), armCheck(config, opts), ...databricksChecks(config, opts), ...modelChecks(config, opts), webPubSubCheck(config, opts), ...appCheck(config, opts)];
}
