import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import type { OrchestrationStarter } from '../../shared/intakeService';
import { type FoundRuns, openRunTickets as open, type RunLookup } from '../../shared/runLookup';
import { ActivityName } from '../../orchestrators/names';
import { durableStarter } from '../durableStarter';

/** Opens the tickets of a run lookup; starting their remediations needs the durable client. */
export async function openRunTickets(
    deps: Pick<Deps, 'intake' | 'now'>,
    starter: OrchestrationStarter,
    input: { lookup: RunLookup; found: FoundRuns },
    ctx: InvocationContext,
): Promise<{ ticketIds: string[]; started: number }> {
    const result = await open(deps, starter, input.lookup, input.found);
    ctx.log(`run lookup ${input.lookup.lookupId}: tickets ${result.ticketIds.join(', ')} (${result.started} started)`);
    return result;
}

df.app.activity(ActivityName.openRunTickets, {
    extraInputs: [df.input.durableClient()],
    handler: (input: { lookup: RunLookup; found: FoundRuns }, ctx) =>
        openRunTickets(getDeps(), durableStarter(df.getClient(ctx)), input, ctx),
});
