import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import type { StepInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';

/**
 * The global budget of reruns in flight: a storm of failures never becomes a storm of reruns against ADF or
 * Databricks. A slot is a lease (the run deadline plus a margin), released when the run is over.
 */
export async function acquireRerunSlot(deps: Pick<Deps, 'control' | 'config' | 'now'>, input: StepInput): Promise<{ granted: boolean }> {
    const lease = deps.config.RUN_DEADLINE_MINUTES + 30;
    return { granted: await deps.control.acquireSlot(input.signal.ticketId, deps.now(), deps.config.MAX_CONCURRENT_RERUNS, lease) };
}

df.app.activity(ActivityName.acquireRerunSlot, { handler: (input: StepInput) => acquireRerunSlot(getDeps(), input) });
