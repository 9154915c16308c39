import type { DurableClient } from 'durable-functions';

import type { FailureSignal } from '../shared/domain';
import type { OrchestrationStarter } from '../shared/intakeService';
import { OrchestratorName } from '../orchestrators/names';

/** Adapts the DurableClient to intake's seam; getStatus answers 404 by throwing, which means "no instance". */
export function durableStarter(client: DurableClient): OrchestrationStarter {
    return {
        async exists(instanceId) {
            try {
                await client.getStatus(instanceId);
                return true;
            } catch (e) {
                if (/HTTP 404/.test((e as Error).message)) return false;
                throw e;
            }
        },
        async start(instanceId, input: FailureSignal) {
            await client.startNew(OrchestratorName.remediate, { instanceId, input });
        },
    };
}
