import { randomUUID } from 'node:crypto';

import type { TicketStore } from './clients/ticketStore';
import type { FailureSignal } from './domain';

/** What intake needs of the durable runtime (the DurableClient, behind a seam tests can fake). */
export interface OrchestrationStarter {
    exists(instanceId: string): Promise<boolean>;
    start(instanceId: string, input: FailureSignal): Promise<void>;
}

export interface Accepted {
    ticketId: string;
    duplicate: boolean;
}

/**
 * Persists each delivery, then starts one remediation per failed run with instance id = ticket id. A
 * duplicate delivery (Azure retries, a race with a concurrent delivery) is recorded and starts nothing.
 */
export async function acceptFailures(
    deps: { tickets: TicketStore; now: () => Date },
    starter: OrchestrationStarter,
    signals: FailureSignal[],
): Promise<Accepted[]> {
    const accepted: Accepted[] = [];
    for (const signal of signals) {
        await deps.tickets.recordDelivery({
            ticketId: signal.ticketId,
            deliveryId: `${deps.now().toISOString()}-${randomUUID()}`,
            receivedAt: deps.now().toISOString(),
            source: signal.source,
            alertId: signal.alertId,
            monitorCondition: 'Fired',
        });
        let duplicate = await starter.exists(signal.ticketId);
        if (!duplicate) {
            try {
                await starter.start(signal.ticketId, signal);
            } catch (e) {
                // A concurrent delivery won the race (the runtime refuses a second running instance).
                if (!(await starter.exists(signal.ticketId))) throw e;
                duplicate = true;
            }
        }
        accepted.push({ ticketId: signal.ticketId, duplicate });
    }
    return accepted;
}
