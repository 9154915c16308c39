import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import { recordStep } from '../../shared/journal';
import type { ApprovalAnswer, StepInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

export interface RecordApprovalInput extends StepInput {
    answer: ApprovalAnswer;
    timedOut: boolean;
}

/** The approver's identity, time and answer go into the audit trail. */
export async function recordApproval(
    deps: Pick<Deps, 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: RecordApprovalInput,
    ctx: InvocationContext,
): Promise<void> {
    const { answer } = input;
    const verb = answer.approved ? 'approved' : 'rejected';
    const who = input.timedOut ? 'the default outcome (no answer in time)' : answer.by;
    // A rejection's final status comes with the close, together with its reason.
    await recordStep(journalDeps(deps, ctx), input.signal.ticketId, input.seq, answer.approved ? { status: 'remediating' } : {}, [
        {
            type: answer.approved ? 'approved' : 'rejected',
            summary: `Rerun ${verb} by ${who} at ${answer.at}${answer.comment ? `: ${answer.comment}` : ''}`,
            data: { ...answer, timedOut: input.timedOut },
        },
    ]);
}

df.app.activity(ActivityName.recordApproval, { handler: (input: RecordApprovalInput, ctx) => recordApproval(getDeps(), input, ctx) });
