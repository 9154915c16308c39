import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import { recordStep } from '../../shared/journal';
import type { CheckRuntimeInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

/** One check of a self-hosted integration runtime before a rerun; the audit trail records changes only. */
export async function checkIntegrationRuntime(
    deps: Pick<Deps, 'adf' | 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: CheckRuntimeInput,
    ctx: InvocationContext,
): Promise<{ state: string; online: boolean }> {
    const { signal } = input;
    if (!signal.adf) return { state: 'NotApplicable', online: true };
    const state = await deps.adf.getIntegrationRuntimeState(signal.adf, input.name);
    if (state !== input.previous) {
        await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq, { status: 'remediating' }, [
            { type: 'runtime_state', summary: `Integration runtime ${input.name} is ${state}`, data: { name: input.name, state } },
        ]);
    }
    return { state, online: state === 'Online' };
}

df.app.activity(ActivityName.checkIntegrationRuntime, {
    handler: (input: CheckRuntimeInput, ctx) => checkIntegrationRuntime(getDeps(), input, ctx),
});
