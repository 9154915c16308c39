import type { DurableClient } from 'durable-functions';

/** The remediation instances, as the ticket actions see them (instance id = ticket id). */
export interface OrchestrationEvents {
    /** The instance's runtime status (`Running`, `Completed`, …), or undefined when there is none. */
    runtimeStatus(instanceId: string): Promise<string | undefined>;
    raise(instanceId: string, eventName: string, data: unknown): Promise<void>;
}

export function durableEvents(client: DurableClient): OrchestrationEvents {
    return {
        async runtimeStatus(instanceId) {
            try {
                return String((await client.getStatus(instanceId)).runtimeStatus);
            } catch (e) {
                if (/HTTP 404/.test((e as Error).message)) return undefined;
                throw e;
            }
        },
        async raise(instanceId, eventName, data) {
            await client.raiseEvent(instanceId, eventName, data);
        },
    };
}
