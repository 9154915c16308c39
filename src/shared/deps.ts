import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';

import { createAdfConnector } from './clients/adf';
import { AuditStore } from './clients/auditStore';
import { ControlStore } from './clients/controlStore';
import { createDatabricksConnector } from './clients/databricks';
import { configuredAnalyst } from './clients/analystConfig';
import { BlobTextStore } from './clients/blobText';
import { IntakeStore } from './clients/intakeStore';
import { TicketStore } from './clients/ticketStore';
import { credentialToken, staticToken } from './clients/tokens';
import { createWebPubSubBroadcaster, nullBroadcaster } from './clients/webpubsub';
import { type Config, getConfig } from './config';
import type { AdfConnector, Broadcaster, DatabricksConnector, RcaModel } from './ports';

/** Azure Databricks' first-party application id: the audience of Entra tokens for any workspace. */
export const DATABRICKS_SCOPE = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default';
export const ARM_SCOPE = 'https://management.azure.com/.default';

export interface Deps {
    config: Config;
    tickets: TicketStore;
    /** Alert deliveries, claims and the raw payload archive (intake only). */
    intake: IntakeStore;
    audit: AuditStore;
    control: ControlStore;
    blobs: BlobServiceClient;
    broadcaster: Broadcaster;
    adf: AdfConnector;
    databricks: DatabricksConnector;
    /** Root-cause analysis: the configured models with the signature cache, else the rules alone. */
    model: RcaModel;
    /** Whole error texts and model transcripts, in the audit container. */
    texts: BlobTextStore;
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
        intake: new IntakeStore(storage.table(config.ALERTS_TABLE), blobs.getContainerClient(config.AUDIT_CONTAINER)),
        control: new ControlStore(storage.table(config.CONTROL_TABLE)),
        audit: new AuditStore(storage.table(config.AUDIT_TABLE), blobs.getContainerClient(config.AUDIT_CONTAINER)),
        blobs,
        broadcaster,
        adf: createAdfConnector({ armEndpoint: config.ARM_ENDPOINT, token: armToken, timeoutMs: config.HTTP_TIMEOUT_MS }),
        databricks: createDatabricksConnector({
            workspaces: config.DATABRICKS_WORKSPACES,
            token: () => dbxToken,
            timeoutMs: config.HTTP_TIMEOUT_MS,
        }),
        model: configuredAnalyst(config, storage.table(config.ANALYSIS_CACHE_TABLE)),
        texts: new BlobTextStore(blobs.getContainerClient(config.AUDIT_CONTAINER)),
        now: () => new Date(),
    };
}

let deps: Deps | undefined;

/** The process-wide dependencies, built on first use (importing a module never builds clients). */
export function getDeps(): Deps {
    deps ??= buildDeps(getConfig());
    return deps;
}
