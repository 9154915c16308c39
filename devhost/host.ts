import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { type Azurite, DEV_ACCOUNT, DEV_KEY, startAzurite } from './azurite';
import { startFaultProxy, type StorageFault } from './faultProxy';
import { startDurableApi } from './durable/api';
import { DurableEngine } from './durable/engine';
import { DurableStore } from './durable/store';
import { installFunctionsCore } from './functions/capture';
import { startHttpHost } from './functions/httpHost';
import { type Sandbox, startSandbox } from './sandbox';
import type { CaseMock } from './sandbox/types';
import { startWebPubSubHub, type WebPubSubHub } from './webpubsub';

export const PROJECT_ROOT = resolve(__dirname, '..');

export interface DevHostOptions {
    /** Keep Azurite's data, the keys and the sandbox's state here; in memory when absent. */
    dataDir?: string;
    port?: number;
    host?: string;
    /** 'demo': believable stateful ADF/Databricks; 'script': a case file's mocks; 'none': real endpoints from env. */
    sandbox: { mode: 'demo' } | { mode: 'script'; mocks: CaseMock[]; workspaces?: Record<string, string> } | { mode: 'none' };
    /** Settings for the app, on top of the devhost's own (a real GEMINI_API_KEY, say). */
    env?: Record<string, string>;
    clock?: () => number;
    /** Virtual time: the caller moves the clock and calls engine.pump(). */
    virtualTime?: boolean;
    log?: (line: string) => void;
}

export interface DevHost {
    url: string;
    functionKey: string;
    masterKey: string;
    engine: DurableEngine;
    azurite: Azurite;
    hub: WebPubSubHub;
    sandbox?: Sandbox;
    env: Record<string, string>;
    functions: string[];
    /** Faults the app's storage sees (the durable backend is not affected). */
    storageFaults: StorageFault[];
    /** Stops the runtime as a crash would (no draining) and starts it again on the same storage. */
    restart(): Promise<void>;
    close(): Promise<void>;
}

const HUB_NAME = 'PipelineAutoheal';

function keys(dataDir?: string): { functionKey: string; masterKey: string } {
    const file = dataDir ? join(dataDir, 'keys.json') : undefined;
    if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { functionKey: string; masterKey: string };
    const generated = { functionKey: randomBytes(24).toString('base64url'), masterKey: randomBytes(24).toString('base64url') };
    if (file) writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
    return generated;
}

/** The files the Functions host would load: package.json `main` (index, functions, orchestrators), from src. */
function appModules(): string[] {
    const src = join(PROJECT_ROOT, 'src');
    const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
            const path = join(dir, name);
            return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
        });
    return [join(src, 'index.ts'), ...walk(join(src, 'functions')), ...walk(join(src, 'orchestrators'))];
}

/** local.settings.json `Values`, as Core Tools would apply them (explicit settings win). */
function localSettings(): Record<string, string> {
    const file = join(PROJECT_ROOT, 'local.settings.json');
    if (!existsSync(file)) return {};
    const values = (JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, string> }).Values ?? {};
    return Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'string' && v !== ''));
}

/** One host per data folder: a second one would run every orchestration twice. */
function lockDataDir(dataDir: string): () => void {
    const file = join(dataDir, 'devhost.lock');
    if (existsSync(file)) {
        const pid = Number(readFileSync(file, 'utf8'));
        let alive = false;
        try {
            alive = pid > 0 && pid !== process.pid && process.kill(pid, 0);
        } catch {
            alive = false;
        }
        if (alive) throw new Error(`${dataDir} is in use by another devhost (pid ${pid}); stop it or use another --data folder`);
    }
    writeFileSync(file, String(process.pid));
    return () => rmSync(file, { force: true });
}

export async function startDevHost(opts: DevHostOptions): Promise<DevHost> {
    const log = opts.log ?? ((line: string) => console.log(line));
    if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
    const unlock = opts.dataDir ? lockDataDir(opts.dataDir) : () => undefined;
    const registry = installFunctionsCore();
    const azurite = await startAzurite({ dataDir: opts.dataDir });
    const hub = await startWebPubSubHub();
    const sandbox =
        opts.sandbox.mode === 'demo'
            ? await startSandbox({ mode: 'demo', clock: opts.clock, dataDir: opts.dataDir })
            : opts.sandbox.mode === 'script'
              ? await startSandbox({ mode: 'script', mocks: opts.sandbox.mocks, clock: opts.clock, workspaces: opts.sandbox.workspaces })
              : undefined;

    const tableProxy = await startFaultProxy(azurite.tableEndpoint, opts.clock);
    const blobProxy = await startFaultProxy(azurite.blobEndpoint, opts.clock);
    const storageFaults: StorageFault[] = tableProxy.faults;
    const env: Record<string, string> = {
        STORAGE_CONNECTION_STRING:
            `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
            `BlobEndpoint=${blobProxy.url};TableEndpoint=${tableProxy.url};`,
        WEBPUBSUB_CONNECTION_STRING: hub.connectionString,
        WEBPUBSUB_HUB: 'tickets',
        ...(sandbox?.settings() ?? {}),
        ...localSettings(),
        ...(opts.env ?? {}),
    };
    Object.assign(process.env, env);

    const { functionKey, masterKey } = keys(opts.dataDir);
    if (registry.functions.size === 0) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        for (const file of appModules()) require(file);
    }

    const startRuntime = async (port: number) => {
        const table = TableClient.fromConnectionString(azurite.connectionString, `${HUB_NAME}Instances`, { allowInsecureConnection: true });
        const engine = new DurableEngine({
            store: new DurableStore(table, BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(`${HUB_NAME.toLowerCase()}-largemessages`)),
            functions: registry.functions,
            clock: opts.clock,
            log,
            autoTimers: !opts.virtualTime,
            durableClientData: () => durableApi.clientData(functionKey),
        });
        let publicUrl = '';
        const durableApi = await startDurableApi(engine, HUB_NAME, () => publicUrl);
        const http = await startHttpHost({
            functions: registry.functions,
            host: opts.host ?? '127.0.0.1',
            port,
            functionKey,
            masterKey,
            durableClientData: () => durableApi.clientData(functionKey),
            log,
        });
        publicUrl = http.url;
        await engine.start();
        return {
            engine, http, async close() {
                engine.stop();
                await http.close();
                await durableApi.close();
            },
        };
    };
    let runtime = await startRuntime(opts.port ?? 7071);

    const host: DevHost = {
        url: runtime.http.url,
        functionKey,
        masterKey,
        engine: runtime.engine,
        azurite,
        hub,
        sandbox,
        env,
        functions: [...registry.functions.keys()],
        storageFaults,
        async restart() {
            const port = Number(new URL(runtime.http.url).port);
            await runtime.close();
            runtime = await startRuntime(port);
            host.engine = runtime.engine;
            host.url = runtime.http.url;
        },
        async close() {
            await runtime.close();
            await sandbox?.close();
            await hub.close();
            await tableProxy.close();
            await blobProxy.close();
            await azurite.close();
            unlock();
        },
    };
    return host;
}
