import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';

import { createAdfConnector } from './clients/adf';
import { AuditStore } from './clients/auditStore';
import { createDatabricksConnector } from './clients/databricks';
import { createGeminiModel } from './clients/gemini';
import { TicketStore } from './clients/ticketStore';
import { credentialToken, staticToken } from './clients/tokens';
import { createWebPubSubBroadcaster, nullBroadcaster } from './clients/webpubsub';
import { type Config, getConfig } from './config';
import type { AdfConnector, Broadcaster, DatabricksConnector, RcaModel } from './ports';
import { rulesAnalysis } from './rulesAnalysis';

/** Azure Databricks' first-party application id: the audience of Entra tokens for any workspace. */
const DATABRICKS_SCOPE = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default';
const ARM_SCOPE = 'https://management.azure.com/.default';

export interface Deps {
    config: Config;
    tickets: TicketStore;
    audit: AuditStore;
    blobs: BlobServiceClient;
    broadcaster: Broadcaster;
    adf: AdfConnector;
    databricks: DatabricksConnector;
    /** Undefined when no Gemini key is configured: the rules' analysis stands alone. */
    model?: RcaModel;
    now: () => Date;
}

let credential: TokenCredential | undefined;
const azureCredential = () => (credential ??= new DefaultAzureCredential());

function storageClients(config: Config) {
    const insecure = { allowInsecureConnection: true };
    if (config.STORAGE_CONNECTION_STRING) {
        const cs = config.STORAGE_CONNECTION_STRING;
        return {
            table: (name: string) => TableClient.fromConnectionString(cs, name, insecure),
            blobs: BlobServiceClient.fromConnectionString(cs),
        };
    }
    const account = config.STORAGE_ACCOUNT_NAME!;
    return {
        table: (name: string) => new TableClient(`https://${account}.table.core.windows.net`, name, azureCredential()),
        blobs: new BlobServiceClient(`https://${account}.blob.core.windows.net`, azureCredential()),
    };
}

/** Builds every client once per process from the validated configuration. */
export function buildDeps(config: Config): Deps {
    const storage = storageClients(config);
    const blobs = storage.blobs;
    const broadcaster = config.WEBPUBSUB_CONNECTION_STRING
        ? createWebPubSubBroadcaster({ connectionString: config.WEBPUBSUB_CONNECTION_STRING }, config.WEBPUBSUB_HUB)
        : config.WEBPUBSUB_ENDPOINT
          ? createWebPubSubBroadcaster({ endpoint: config.WEBPUBSUB_ENDPOINT, credential: azureCredential() }, config.WEBPUBSUB_HUB)
          : nullBroadcaster();
    const armToken = config.ARM_ACCESS_TOKEN ? staticToken(config.ARM_ACCESS_TOKEN) : credentialToken(azureCredential(), ARM_SCOPE);
    const dbxToken = config.DATABRICKS_TOKEN ? staticToken(config.DATABRICKS_TOKEN) : credentialToken(azureCredential(), DATABRICKS_SCOPE);
    return {
        config,
        tickets: new TicketStore(storage.table(config.TICKETS_TABLE), storage.table(config.ALERTS_TABLE)),
        audit: new AuditStore(storage.table(config.AUDIT_TABLE), blobs.getContainerClient(config.AUDIT_CONTAINER)),
        blobs,
        broadcaster,
        adf: createAdfConnector({ armEndpoint: config.ARM_ENDPOINT, token: armToken, timeoutMs: config.HTTP_TIMEOUT_MS }),
        databricks: createDatabricksConnector({
            workspaces: config.DATABRICKS_WORKSPACES,
            token: () => dbxToken,
            timeoutMs: config.HTTP_TIMEOUT_MS,
        }),
        model: config.GEMINI_API_KEY
            ? createGeminiModel({
                  apiKey: config.GEMINI_API_KEY,
                  model: config.GEMINI_MODEL,
                  baseUrl: config.GEMINI_BASE_URL,
                  timeoutMs: config.GEMINI_TIMEOUT_MS,
                  fallback: (_signal, details, classification) => rulesAnalysis(classification, details),
              })
            : undefined,
        now: () => new Date(),
    };
}

let deps: Deps | undefined;

/** The process-wide dependencies, built on first use (importing a module never builds clients). */
export function getDeps(): Deps {
    deps ??= buildDeps(getConfig());
    return deps;
}
