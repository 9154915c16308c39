import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import { linkRerun } from '../../shared/intakeService';
import { recordStep } from '../../shared/journal';
import { NotFoundError, TransientError } from '../../shared/ports';
import type { StartInput, StartResult } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

const REQUESTED = 'rerun_requested';

/**
 * Starts the platform's own recovery: an ADF recovery rerun from the failed activity, or a Databricks repair of
 * the failed tasks. Exactly once: the intent is recorded before the request, and only when an earlier request
 * for the same attempt may have gone through (its answer lost to a crash, a timeout or a 5xx) do the connectors
 * look for an existing rerun first. A 429 is a definite "not started": its intent is marked so.
 * Outcomes are returned as values; only storage faults throw (the durable retry repeats the activity).
 */
export async function startRemediation(
    deps: Pick<Deps, 'adf' | 'databricks' | 'tickets' | 'audit' | 'broadcaster' | 'now' | 'intake'>,
    input: StartInput,
    ctx: InvocationContext,
): Promise<StartResult> {
    const { signal, attempt } = input;
    const earlier = (await deps.audit.list(signal.ticketId)).filter(
        (e) => e.type === REQUESTED && e.data['attempt'] === attempt && e.seq !== input.seq * 100,
    );
    const checkFirst = earlier.some((e) => e.data['notStarted'] !== true) || (await deps.audit.has(signal.ticketId, input.seq));
    const what = signal.adf ? 'an ADF recovery rerun from the failed activity' : 'a Databricks repair of the failed tasks';
    const intent = (data: Record<string, unknown>) =>
        deps.audit.append(signal.ticketId, input.seq, deps.now().toISOString(), [
            { type: REQUESTED, summary: `Attempt ${attempt}: requesting ${what}`, data: { attempt, ...data } },
        ]);
    await intent({ checkFirst });

    let result: StartResult;
    try {
        if (signal.adf) {
            const run = await deps.adf.startRecovery(signal.adf, input.notBefore, { checkFirst });
            result = { ok: true, runId: run.runId, reused: run.reused };
        } else if (signal.databricks) {
            const repair = await deps.databricks.repair(signal.databricks, {
                knownRepairs: attempt - 1,
                latestRepairId: input.lastRepairId,
                checkFirst,
            });
            result = { ok: true, runId: signal.databricks.runId, reused: repair.reused, repairId: repair.repairId };
        } else {
            result = { ok: false, reason: 'the alert names no run to rerun' };
        }
    } catch (e) {
        if (!(e instanceof TransientError)) {
            const reason = e instanceof NotFoundError ? `the run was not found (${e.message})` : (e as Error).message;
            result = { ok: false, reason };
        } else {
            if (e.status === 429) await intent({ checkFirst, notStarted: true });
            result = {
                ok: false, retryable: true, status: e.status, reason: e.message,
                retryAfterSeconds: e.retryAfterMs !== undefined ? Math.ceil(e.retryAfterMs / 1000) : undefined,
            };
        }
    }

    // An alert about our own rerun (a new run id in the same run group) then counts on this ticket.
    if (result.ok) await linkRerun(deps, signal, result.runId, deps.now().toISOString());
    const ticket = await deps.tickets.get(signal.ticketId);
    if (result.ok) {
        const rerunRunIds = ticket?.rerunRunIds ?? [];
        const label = signal.adf ? `recovery rerun ${result.runId}` : `repair of run ${result.runId}`;
        await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq,
            {
                status: 'monitoring',
                attempts: Math.max(ticket?.attempts ?? 0, attempt),
                rerunRunIds: signal.adf && !rerunRunIds.includes(result.runId) ? [...rerunRunIds, result.runId] : rerunRunIds,
                ...(result.repairId ? { repairIds: [...new Set([...(ticket?.repairIds ?? []), result.repairId])] } : {}),
            },
            [{ type: 'rerun_started', summary: `Attempt ${attempt}: ${label} started${result.reused ? ' (found already running)' : ''}`, data: { attempt, runId: result.runId, reused: result.reused, repairId: result.repairId } }],
            1,
        );
    } else {
        const summary = result.retryable
            ? `Attempt ${attempt}: the rerun request was not accepted (${result.reason}); trying again${result.retryAfterSeconds ? ` after ${result.retryAfterSeconds} s as asked` : ''}`
            : `Attempt ${attempt}: the rerun could not be started: ${result.reason}`;
        await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq, {}, [
            { type: result.retryable ? 'rerun_deferred' : 'rerun_failed', summary, data: { attempt, status: result.ok ? undefined : result.status } },
        ], 1);
    }
    return result;
}

df.app.activity(ActivityName.startRemediation, { handler: (input: StartInput, ctx) => startRemediation(getDeps(), input, ctx) });
