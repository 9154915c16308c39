import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { PermanentHttpError } from '../../shared/clients/http';
import { type Deps, getDeps } from '../../shared/deps';
import { NotFoundError } from '../../shared/ports';
import { type FoundRuns, lookupWindow, type RunLookup } from '../../shared/runLookup';
import { ActivityName } from '../../orchestrators/names';

/** queryPipelineRuns over the alert's window plus a margin, every page; transient failures throw (durable retry). */
export async function findFailedRuns(
    deps: Pick<Deps, 'adf'>,
    lookup: RunLookup,
    ctx: InvocationContext,
): Promise<FoundRuns> {
    try {
        const runs = await deps.adf.findFailedRuns(lookup, lookupWindow(lookup), lookup.pipelineName);
        ctx.log(`run lookup ${lookup.lookupId}: ${runs.length} failed run(s) in ${lookup.factoryName}`);
        return { ok: true, runs };
    } catch (e) {
        if (e instanceof NotFoundError || e instanceof PermanentHttpError) return { ok: false, reason: e.message };
        throw e;
    }
}

df.app.activity(ActivityName.findFailedRuns, { handler: (input: RunLookup, ctx) => findFailedRuns(getDeps(), input, ctx) });
