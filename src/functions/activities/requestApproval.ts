import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import type { Decision } from '../../shared/domain';
import { recordStep } from '../../shared/journal';
import type { StepInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

export interface RequestApprovalInput extends StepInput {
    approval: NonNullable<Decision['approval']>;
    deadline: string;
}

/** Puts the ticket in `awaiting_approval`: the dashboard (and chat) show approve/reject until the deadline. */
export async function requestApproval(
    deps: Pick<Deps, 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: RequestApprovalInput,
    ctx: InvocationContext,
): Promise<void> {
    const { approval } = input;
    const fallback = approval.defaultOutcome === 'approve' ? 'approved' : 'rejected';
    await recordStep(journalDeps(deps, ctx), input.signal.ticketId, input.seq, { status: 'awaiting_approval' }, [
        {
            type: 'approval_requested',
            summary: `Waiting for a person to approve or reject the rerun (${approval.why}); without an answer by ${input.deadline} it is ${fallback}.`,
            data: { ...approval, deadline: input.deadline },
        },
    ]);
}

df.app.activity(ActivityName.requestApproval, { handler: (input: RequestApprovalInput, ctx) => requestApproval(getDeps(), input, ctx) });
