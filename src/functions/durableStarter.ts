import type { DurableClient } from 'durable-functions';

import type { InstanceKind, OrchestrationStarter } from '../shared/intakeService';
import { OrchestratorName } from '../orchestrators/names';

const ORCHESTRATOR: Record<InstanceKind, string> = {
    remediate: OrchestratorName.remediate,
    lookup: OrchestratorName.resolveRuns,
    note: OrchestratorName.annotateResolved,
};

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
        async start(kind, instanceId, input) {
            await client.startNew(ORCHESTRATOR[kind], { instanceId, input });
        },
    };
}
