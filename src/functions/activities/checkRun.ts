import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import type { RunState } from '../../shared/domain';
import { recordStep } from '../../shared/journal';
import type { CheckRunInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

/** One poll of the rerun; the audit trail records state changes only. */
export async function checkRun(
    deps: Pick<Deps, 'adf' | 'databricks' | 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: CheckRunInput,
    ctx: InvocationContext,
): Promise<RunState> {
    const { signal } = input;
    const state = signal.adf
        ? await deps.adf.getRun(signal.adf, input.runId)
        : await deps.databricks.getRun(signal.databricks!);
    if (state.state !== input.previous) {
        await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq, {}, [
            { type: 'run_state', summary: `Run ${state.runId} is ${state.rawStatus}`, data: { runId: state.runId, state: state.state, rawStatus: state.rawStatus, url: state.url } },
        ]);
    }
    return state;
}

df.app.activity(ActivityName.checkRun, { handler: (input: CheckRunInput, ctx) => checkRun(getDeps(), input, ctx) });
