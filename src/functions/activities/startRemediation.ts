import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import { recordStep } from '../../shared/journal';
import { NotFoundError, TransientError } from '../../shared/ports';
import type { StartInput, StartResult } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

/**
 * Starts the platform's own recovery: an ADF recovery rerun from the failed activity, or a Databricks repair of
 * the failed tasks. The connectors look for a rerun already started for this attempt first, so a retried or
 * replayed activity never starts a second one. Transient errors throw (durable retry); permanent ones return.
 */
export async function startRemediation(
    deps: Pick<Deps, 'adf' | 'databricks' | 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: StartInput,
    ctx: InvocationContext,
): Promise<StartResult> {
    const { signal } = input;
    // The intent is written before the request. Finding it means this activity ran before and its answer
    // may be lost (host crash, timeout): only then do the connectors look for an existing rerun first.
    const checkFirst = await deps.audit.has(signal.ticketId, input.seq);
    if (!checkFirst) {
        const what = signal.adf ? 'an ADF recovery rerun from the failed activity' : 'a Databricks repair of the failed tasks';
        await deps.audit.append(signal.ticketId, input.seq, deps.now().toISOString(), [
            { type: 'rerun_requested', summary: `Attempt ${input.attempt}: requesting ${what}`, data: { attempt: input.attempt } },
        ]);
    }
    let result: StartResult;
    try {
        if (signal.adf) {
            const run = await deps.adf.startRecovery(signal.adf, input.notBefore, { checkFirst });
            result = { ok: true, runId: run.runId, reused: run.reused };
        } else if (signal.databricks) {
            const repair = await deps.databricks.repair(signal.databricks, {
                knownRepairs: input.attempt - 1,
                latestRepairId: input.lastRepairId,
                checkFirst,
            });
            result = { ok: true, runId: signal.databricks.runId, reused: repair.reused, repairId: repair.repairId };
        } else {
            result = { ok: false, reason: 'the alert names no run to rerun' };
        }
    } catch (e) {
        if (e instanceof TransientError) throw e;
        const reason = e instanceof NotFoundError ? `the run was not found (${e.message})` : (e as Error).message;
        result = { ok: false, reason };
    }
    const ticket = await deps.tickets.get(signal.ticketId);
    if (result.ok) {
        const rerunRunIds = ticket?.rerunRunIds ?? [];
        const label = signal.adf ? `recovery rerun ${result.runId}` : `repair of run ${result.runId}`;
        await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq,
            {
                status: 'monitoring',
                attempts: Math.max(ticket?.attempts ?? 0, input.attempt),
                rerunRunIds: signal.adf && !rerunRunIds.includes(result.runId) ? [...rerunRunIds, result.runId] : rerunRunIds,
            },
            [{ type: 'rerun_started', summary: `Attempt ${input.attempt}: ${label} started${result.reused ? ' (found already running)' : ''}`, data: { attempt: input.attempt, runId: result.runId, reused: result.reused, repairId: result.repairId } }],
            1,
        );
    } else {
        await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq, {}, [
            { type: 'rerun_failed', summary: `Attempt ${input.attempt}: the rerun could not be started: ${result.reason}`, data: { attempt: input.attempt } },
        ], 1);
    }
    return result;
}

df.app.activity(ActivityName.startRemediation, { handler: (input: StartInput, ctx) => startRemediation(getDeps(), input, ctx) });
