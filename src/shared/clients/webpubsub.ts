import type { TokenCredential } from '@azure/identity';
import { WebPubSubServiceClient } from '@azure/web-pubsub';

import type { AuditEvent, Ticket } from '../domain';
import type { Broadcaster } from '../ports';

export type WebPubSubTarget = { connectionString: string } | { endpoint: string; credential: TokenCredential };

/** Broadcasts ticket updates to every dashboard through Azure Web PubSub. */
export function createWebPubSubBroadcaster(target: WebPubSubTarget, hub: string): Broadcaster {
    const client = 'connectionString' in target
        ? new WebPubSubServiceClient(target.connectionString, hub, { allowInsecureConnection: target.connectionString.includes('http://') })
        : new WebPubSubServiceClient(target.endpoint, target.credential, hub, { allowInsecureConnection: target.endpoint.startsWith('http://') });
    return {
        async ticketUpdated(ticket: Ticket, event?: AuditEvent) {
            const message = { type: 'ticket', ticket, ...(event ? { event } : {}) };
            await client.sendToAll(JSON.parse(JSON.stringify(message)) as Record<string, unknown>);
        },
        async clientUrl(userId: string) {
            const minutes = 60;
            const { url } = await client.getClientAccessToken({ userId, expirationTimeInMinutes: minutes });
            return { url, expiresAt: new Date(Date.now() + minutes * 60_000).toISOString() };
        },
    };
}

/** Without Web PubSub configured, updates are dropped and the dashboard falls back to polling. */
export function nullBroadcaster(): Broadcaster {
    return {
        async ticketUpdated() {},
        async clientUrl() {
            throw new Error('Web PubSub is not configured (set WEBPUBSUB_CONNECTION_STRING or WEBPUBSUB_ENDPOINT)');
        },
    };
}
