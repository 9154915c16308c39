import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { randomBytes } from 'node:crypto';

import { type Azurite, startAzurite } from '../../devhost/azurite';
import { AuditStore } from '../../src/shared/clients/auditStore';
import { TicketStore } from '../../src/shared/clients/ticketStore';

export type { Azurite };
export { startAzurite };

/** Stores on unique tables and a unique container, so tests never see each other's rows. */
export function freshStores(azurite: Azurite) {
    const suffix = randomBytes(4).toString('hex');
    const table = (name: string) => TableClient.fromConnectionString(azurite.connectionString, `${name}${suffix}`, { allowInsecureConnection: true });
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = blobs.getContainerClient(`audit-${suffix}`);
    return {
        tickets: new TicketStore(table('tickets'), table('alerts')),
        audit: new AuditStore(table('audit'), container),
        container,
    };
}
