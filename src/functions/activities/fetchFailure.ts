import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { redact } from '../../shared/clients/redact';
import { type Deps, getDeps } from '../../shared/deps';
import type { FailureDetails, RunError } from '../../shared/domain';
import { recordStep } from '../../shared/journal';
import { TransientError } from '../../shared/ports';
import type { StepInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

/** Longest error text kept inline: it travels through the orchestration history and every later activity. */
export const MAX_INLINE_MESSAGE = 8000;

/** Keeps head and tail of long messages (causes and the top of stack traces live there). */
function clip(text: string): string {
    if (text.length <= MAX_INLINE_MESSAGE) return text;
    const half = MAX_INLINE_MESSAGE / 2;
    const omitted = text.length - MAX_INLINE_MESSAGE;
    return `${text.slice(0, half)}\n…[${omitted} characters omitted]…\n${text.slice(-half)}`;
}

type FetchDeps = Pick<Deps, 'adf' | 'databricks' | 'texts' | 'tickets' | 'audit' | 'broadcaster' | 'now'>;

/**
 * Secrets are removed before anything is kept; a text too long to keep inline goes whole to Blob
 * (`errors/<ticketId>/<n>.txt` in the audit container) and the error keeps a reference to it.
 */
async function keep(deps: FetchDeps, ticketId: string, raw: FailureDetails) {
    const blobs: string[] = [];
    const store = async (text: string, key: string) => {
        const clean = redact(text);
        if (clean.length <= MAX_INLINE_MESSAGE) return { message: clean };
        const ref = await deps.texts.put(`errors/${ticketId}/${key}.txt`, clean);
        blobs.push(ref);
        return { message: clip(clean), fullTextBlob: ref, fullTextChars: clean.length };
    };
    const errors: RunError[] = [];
    for (const [i, e] of raw.errors.entries()) errors.push({ ...e, ...(await store(e.message, String(i))) });
    const runMessage = raw.runMessage === undefined ? undefined : (await store(raw.runMessage, 'run')).message;
    const details: FailureDetails = { ...raw, errors, runMessage };
    return { details, blobs };
}

/** Reads the real error of the failed run from ADF or Databricks. */
export async function fetchFailure(deps: FetchDeps, input: StepInput, ctx: InvocationContext): Promise<FailureDetails> {
    const { signal } = input;
    let raw: FailureDetails;
    try {
        raw = signal.adf
            ? await deps.adf.fetchFailure(signal.adf)
            : signal.databricks
              ? await deps.databricks.fetchFailure(signal.databricks)
              : { found: false, errors: [] };
    } catch (e) {
        // Transient faults throw (the durable retry repeats this activity); anything else cannot get better by
        // retrying (an unconfigured workspace, a 403): it is an outcome, and a person must look.
        if (e instanceof TransientError) throw e;
        raw = { found: false, errors: [], lookupError: redact((e as Error).message).slice(0, 1000) };
    }
    const { details, blobs } = await keep(deps, signal.ticketId, raw);
    const first = details.errors.find((e) => e.scope !== 'run') ?? details.errors[0];
    const summary = details.lookupError
        ? `The failed run ${signal.runId} could not be read: ${details.lookupError}`
        : !details.found
        ? `The failed run ${signal.runId} was not found; deciding from the alert alone`
        : first
          ? `Run ${details.runStatus ?? 'failed'}: ${first.name}${first.code ? ` error ${first.code}` : ''}`
          : `Run ${details.runStatus ?? 'failed'} with no error detail`;
    await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq,
        {
            status: 'analysing',
            errorCode: first?.code,
            errorMessage: first?.message.slice(0, 2000),
            runUrl: details.runUrl,
            errorTextBlob: first?.fullTextBlob ?? blobs[0],
        },
        [{
            type: 'failure_fetched',
            summary,
            data: {
                found: details.found,
                runStatus: details.runStatus,
                errors: details.errors.length,
                ...(blobs.length ? { fullTexts: blobs } : {}),
            },
        }],
    );
    return details;
}

df.app.activity(ActivityName.fetchFailure, { handler: (input: StepInput, ctx) => fetchFailure(getDeps(), input, ctx) });
