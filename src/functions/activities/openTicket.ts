import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import type { Ticket } from '../../shared/domain';
import { recordStep } from '../../shared/journal';
import type { RemediationSettings, StepInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

/** Creates the ticket row (idempotent) and its first audit event; returns the settings the orchestration needs. */
export async function openTicket(
    deps: Pick<Deps, 'tickets' | 'audit' | 'broadcaster' | 'now' | 'config'>,
    input: StepInput,
    ctx: InvocationContext,
): Promise<RemediationSettings> {
    const { signal } = input;
    const now = deps.now().toISOString();
    const ticket: Ticket = {
        id: signal.ticketId,
        source: signal.source,
        status: 'open',
        dedupKey: signal.dedupKey,
        pipeline: signal.pipeline,
        runId: signal.runId,
        severity: signal.severity,
        alertId: signal.alertId,
        factoryResourceId: signal.adf?.factoryResourceId,
        workspaceId: signal.databricks?.workspaceId,
        createdAt: now,
        updatedAt: now,
        attempts: 0,
        rerunRunIds: [],
        relatedAlerts: 1,
    };
    await deps.tickets.open(ticket);
    const where = signal.source === 'adf' ? `ADF pipeline ${signal.pipeline}` : `Databricks job ${signal.pipeline}`;
    await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq, {}, [
        {
            type: 'alert_received',
            summary: `${where} run ${signal.runId} failed (${signal.severity}); ticket opened`,
            data: { alertId: signal.alertId, alertRule: signal.alertRule, firedAt: signal.firedAt, dedupKey: signal.dedupKey },
        },
    ]);
    return {
        pollIntervalSeconds: deps.config.POLL_INTERVAL_SECONDS,
        runDeadlineMinutes: deps.config.RUN_DEADLINE_MINUTES,
    };
}

df.app.activity(ActivityName.openTicket, { handler: (input: StepInput, ctx) => openTicket(getDeps(), input, ctx) });
