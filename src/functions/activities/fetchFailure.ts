import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import type { FailureDetails } from '../../shared/domain';
import { recordStep } from '../../shared/journal';
import type { StepInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

const MAX_MESSAGE = 8000;

/** Keeps head and tail of long messages: the orchestration history must stay small. */
function clip(text: string): string {
    if (text.length <= MAX_MESSAGE) return text;
    const half = MAX_MESSAGE / 2;
    return `${text.slice(0, half)}\n…[${text.length - MAX_MESSAGE} characters omitted]…\n${text.slice(-half)}`;
}

/** Reads the real error of the failed run from ADF or Databricks. */
export async function fetchFailure(
    deps: Pick<Deps, 'adf' | 'databricks' | 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: StepInput,
    ctx: InvocationContext,
): Promise<FailureDetails> {
    const { signal } = input;
    const raw = signal.adf
        ? await deps.adf.fetchFailure(signal.adf)
        : signal.databricks
          ? await deps.databricks.fetchFailure(signal.databricks)
          : { found: false, errors: [] };
    const details: FailureDetails = { ...raw, errors: raw.errors.map((e) => ({ ...e, message: clip(e.message) })) };
    const first = details.errors.find((e) => e.scope !== 'run') ?? details.errors[0];
    const summary = !details.found
        ? `The failed run ${signal.runId} was not found; deciding from the alert alone`
        : first
          ? `Run ${details.runStatus ?? 'failed'}: ${first.name}${first.code ? ` error ${first.code}` : ''}`
          : `Run ${details.runStatus ?? 'failed'} with no error detail`;
    await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq,
        { status: 'analysing', errorCode: first?.code, errorMessage: first?.message.slice(0, 2000), runUrl: details.runUrl },
        [{ type: 'failure_fetched', summary, data: { found: details.found, runStatus: details.runStatus, errors: details.errors.length } }],
    );
    return details;
}

df.app.activity(ActivityName.fetchFailure, { handler: (input: StepInput, ctx) => fetchFailure(getDeps(), input, ctx) });
