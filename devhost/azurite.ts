import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/* Azurite's package `main` is its VS Code extension, so the servers are loaded by their deep paths. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { default: BlobServer } = require('azurite/dist/src/blob/BlobServer');
const { default: BlobConfiguration } = require('azurite/dist/src/blob/BlobConfiguration');
const { default: TableServer } = require('azurite/dist/src/table/TableServer');
const { default: TableConfiguration } = require('azurite/dist/src/table/TableConfiguration');

interface LokiDb {
    autosaveDisable(): void;
    autosaveEnable(): void;
    autosaveInterval: number;
}

/**
 * Azurite's LokiJS stores flush to disk every 5 s, so a killed devhost could forget writes it had
 * acknowledged (Azure Storage never does). Flushing dirty stores every 100 ms shrinks that window.
 */
function tightenAutosave(servers: object[]): void {
    for (const server of servers) {
        for (const key of ['metadataStore', 'extentMetadataStore']) {
            const db = (server as Record<string, { db?: LokiDb } | undefined>)[key]?.db;
            if (!db) continue;
            db.autosaveDisable();
            db.autosaveInterval = 100;
            db.autosaveEnable();
        }
    }
}

interface AzuriteServer {
    start(): Promise<void>;
    close(): Promise<void>;
    getHttpServerAddress(): string;
}

export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
    connectionString: string;
    blobEndpoint: string;
    tableEndpoint: string;
    close(): Promise<void>;
}

/** Starts Azurite's blob and table servers in this process on free loopback ports; in memory unless `dataDir` is given. */
export async function startAzurite(opts: { dataDir?: string; host?: string } = {}): Promise<Azurite> {
    const host = opts.host ?? '127.0.0.1';
    const memory = !opts.dataDir;
    const dir = opts.dataDir ? join(opts.dataDir, 'azurite') : '';
    if (dir) mkdirSync(dir, { recursive: true });
    const path = (file: string) => (dir ? join(dir, file) : file);

    // Positional arguments of Azurite 3.35: host, port, keepAlive, dbPath, [extentDbPath, persistence,]
    // accessLog, accessLogStream, debugLog, debugLogPath, loose, skipApiVersionCheck, cert, key, pwd, oauth,
    // disableProductStyleUrl, inMemory. skipApiVersionCheck: storage-blob 12.32 sends a newer version.
    const blob: AzuriteServer = new BlobServer(
        new BlobConfiguration(host, 0, 5, path('__azurite_db_blob__.json'), path('__azurite_db_blob_extent__.json'),
            [{ locationId: 'Default', locationPath: path('__blobstorage__'), maxConcurrency: 10 }],
            false, undefined, false, undefined, false, true, '', '', '', undefined, false, memory),
    );
    const table: AzuriteServer = new TableServer(
        new TableConfiguration(host, 0, 5, path('__azurite_db_table__.json'), false, false, undefined, undefined,
            false, true, '', '', '', undefined, false, memory),
    );
    await Promise.all([blob.start(), table.start()]);
    if (!memory) tightenAutosave([table, blob]);
    const blobEndpoint = `http://${blob.getHttpServerAddress().replace(/^http:\/\//, '')}/${DEV_ACCOUNT}`;
    const tableEndpoint = `http://${table.getHttpServerAddress().replace(/^http:\/\//, '')}/${DEV_ACCOUNT}`;
    return {
        blobEndpoint,
        tableEndpoint,
        connectionString:
            `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
            `BlobEndpoint=${blobEndpoint};TableEndpoint=${tableEndpoint};`,
        async close() {
            await Promise.all([blob.close(), table.close()]);
        },
    };
}
