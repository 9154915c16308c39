import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import type { StepInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';

/** Gives the ticket's rerun slot back once its run is over (idempotent). */
export async function releaseRerunSlot(deps: Pick<Deps, 'control'>, input: StepInput): Promise<void> {
    await deps.control.releaseSlot(input.signal.ticketId);
}

df.app.activity(ActivityName.releaseRerunSlot, { handler: (input: StepInput) => releaseRerunSlot(getDeps(), input) });
