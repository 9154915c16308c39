import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { classify } from '../../shared/classifier';
import { type Deps, getDeps } from '../../shared/deps';
import type { Classification } from '../../shared/domain';
import { recordStep } from '../../shared/journal';
import type { ClassifyInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

/** The deterministic classification (an activity, so the decision replays even if the rules change later). */
export async function classifyFailure(
    deps: Pick<Deps, 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: ClassifyInput,
    ctx: InvocationContext,
): Promise<Classification> {
    const classification = classify(input.signal.source, input.details);
    await recordStep(journalDeps(deps, ctx), input.signal.ticketId, input.seq,
        { category: classification.errorClass, ruleId: classification.ruleId, errorCode: classification.errorCode, facts: classification.extracted },
        [{ type: 'classified', summary: classification.reason, data: { ...classification } }],
    );
    return classification;
}

df.app.activity(ActivityName.classifyFailure, { handler: (input: ClassifyInput, ctx) => classifyFailure(getDeps(), input, ctx) });
