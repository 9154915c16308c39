import type { TokenCredential } from '@azure/identity';
import { WebPubSubServiceClient } from '@azure/web-pubsub';

import { ROLES, roleGroup } from '../access/roles';
import { eventForRole } from '../access/visibility';
import { getConfig } from '../config';
import type { AuditEvent, Ticket } from '../domain';
import type { Broadcaster } from '../ports';
import { ticketView } from '../views/ticketView';

export type WebPubSubTarget = { connectionString: string } | { endpoint: string; credential: TokenCredential };

/** What dashboards show of a ticket (its ownership and urgency too); the settings are read when first needed. */
const defaultView = (ticket: Ticket): unknown => ticketView(ticket, getConfig(), new Date());

/**
 * Broadcasts ticket updates through Azure Web PubSub, one message per role group: a socket only ever joins its
 * user's role group (by its token), so it never receives more than that role may see.
 */
export function createWebPubSubBroadcaster(target: WebPubSubTarget, hub: string, view = defaultView): Broadcaster {
    const client = 'connectionString' in target
        ? new WebPubSubServiceClient(target.connectionString, hub, { allowInsecureConnection: target.connectionString.includes('http://') })
        : new WebPubSubServiceClient(target.endpoint, target.credential, hub, { allowInsecureConnection: target.endpoint.startsWith('http://') });
    return {
        async ticketUpdated(ticket: Ticket, event?: AuditEvent) {
            const shown = view(ticket);
            await Promise.all(ROLES.map((role) => {
                const message = { type: 'ticket', ticket: shown, ...(event ? { event: eventForRole(event, role) } : {}) };
                return client.group(roleGroup(role)).sendToAll(JSON.parse(JSON.stringify(message)) as Record<string, unknown>);
            }));
        },
        async clientUrl(userId: string, opts: { groups?: string[]; minutes?: number } = {}) {
            const minutes = opts.minutes ?? 60;
            // No roles: the client may neither send nor join other groups; it only receives.
            const { url } = await client.getClientAccessToken({ userId, groups: opts.groups ?? [], roles: [], expirationTimeInMinutes: minutes });
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
