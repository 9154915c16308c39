import type { Config } from '../src/shared/config';
import type { Decision, FailureSignal } from '../src/shared/domain';
import type { ReplayReport, TicketReplay } from './replay';
import type { Terminal } from './terminal';

const SOURCE_NAMES = { 'azure-monitor': 'Azure Monitor alert', databricks: 'Databricks notification' } as const;
const FROM = { file: 'from the --details file', adf: 'from Data Factory', databricks: 'from Databricks', none: 'none (the alert names no run to look up)' };

function clip(text: string, max = 160): string {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function runLine(s: FailureSignal): string {
    if (s.adf) return `ADF pipeline ${s.adf.pipelineName}, run ${s.adf.runId}, factory ${s.adf.factoryName} (${s.adf.resourceGroup})`;
    if (s.databricks) return `Databricks ${s.databricks.jobName ?? `job ${s.databricks.jobId ?? '?'}`}, run ${s.databricks.runId}, workspace ${s.databricks.workspaceId}`;
    return `${s.pipeline}, run ${s.runId} (no factory or workspace: it cannot be rerun)`;
}

/** What the orchestration would do next, in the platform's own terms. */
export function wouldDo(s: FailureSignal, d: Decision, config: Config): string {
    if (d.action === 'escalate') return 'escalate: close the ticket as escalated for a person; no rerun';
    const rerun = s.adf
        ? `start an ADF recovery rerun of ${s.adf.pipelineName} from the failed activity (createRun with referencePipelineRunId=${s.adf.runId}, isRecovery=true, startFromFailure=true)`
        : `repair the failed tasks of Databricks run ${s.databricks?.runId ?? s.runId} (runs/repair with rerun_all_failed_tasks)`;
    const approval = d.approval
        ? `ask for approval (${d.approval.why}; ${d.approval.defaultOutcome === 'approve' ? 'approved' : 'rejected'} without an answer in ${d.approval.timeoutMinutes} min), then `
        : '';
    const wait = d.waitFor
        ? `wait until integration runtime '${d.waitFor.name}' is Online (at most ${d.waitFor.maxWaitMinutes} min, else escalate), then `
        : d.delaySeconds > 0 ? `wait ${d.delaySeconds} s, then ` : '';
    const plan = `${approval}${wait}${rerun}; poll it every ${config.POLL_INTERVAL_SECONDS} s for up to ${config.RUN_DEADLINE_MINUTES} min; up to ${d.maxAttempts} attempt(s)`;
    return d.dryRun ? `record this and start nothing (DRY_RUN); without it: ${plan}` : plan;
}

function printTicket(t: TicketReplay, config: Config, term: Terminal): void {
    const label = (name: string) => term.bold(name.padEnd(10));
    term.line(`${term.bold('Ticket')} ${t.signal.ticketId}  ${term.dim(t.signal.dedupKey)}`);
    term.line(`  ${label('Run')}${runLine(t.signal)}`);
    if (t.fetchError) {
        term.line(`  ${label('Details')}${term.colour('fail', `could not be read ${FROM[t.detailsFrom]}: ${clip(t.fetchError, 300)}`)}`);
        term.line(`  ${label('Would')}retry the lookup (durable retries), then escalate if it keeps failing`);
        return;
    }
    const d = t.details!;
    const summary = d.found ? `run ${d.runStatus ?? 'failed'}, ${d.errors.length} error(s)` : 'run not found';
    term.line(`  ${label('Details')}${FROM[t.detailsFrom]}: ${summary}`);
    for (const e of d.errors.slice(0, 3)) term.line(`  ${' '.repeat(10)}${e.scope} ${e.name}${e.code ? ` ${e.code}` : ''}: ${clip(e.message)}`);
    const c = t.classification!;
    const verdict = c.retryable === null ? 'no rule decides' : c.retryable ? 'retryable' : 'not retryable';
    term.line(`  ${label('Class')}${c.errorClass} (rule ${c.ruleId}${c.errorCode ? `, code ${c.errorCode}` : ''}, ${verdict}): ${clip(c.reason)}`);
    term.line(`  ${label('Analysis')}${clip(t.analysis!.analysis.root_cause)}`);
    const decision = t.decision!;
    const status = decision.action === 'rerun' ? 'pass' : 'warn';
    term.line(`  ${label('Decision')}${term.colour(status, decision.action.toUpperCase())}: ${decision.reason}`);
    term.line(`  ${label('Would')}${wouldDo(t.signal, decision, config)}`);
    if (decision.action === 'rerun') term.line(term.dim('            (the circuit breaker\'s state is kept in storage and not read by replay)'));
    if (c.retryable === null) term.line(term.dim('            (no rule decides: the deployed app also asks its model, which can confirm a rerun only for a transient or capacity guess)'));
}

export function printReport(report: ReplayReport, config: Config, term: Terminal): void {
    const what = SOURCE_NAMES[report.source];
    switch (report.kind) {
        case 'invalid':
            term.status('fail', 'intake', `the ${what} would be rejected with 400:`);
            for (const i of report.issues) term.line(`  ${i.path || '(body)'}: ${i.message}`);
            return;
        case 'ignored':
            term.status('skip', 'intake', `the ${what} would be acknowledged (200) and ignored: ${report.reason}`);
            return;
        case 'resolved':
            term.status('skip', 'intake', `a resolved ${what} (202): nothing to heal; tickets ${report.ticketIds.join(', ') || '(none)'}`);
            return;
        case 'unresolved': {
            const o = report.outcome;
            term.status('warn', 'intake', `the ${what} names no pipeline run: recorded (202) as ${report.ticketId}, no remediation starts`);
            term.line(`  factory ${o.factoryName}${o.pipelineName ? `, pipeline ${o.pipelineName}` : ''}, window ${o.windowStart} – ${o.windowEnd}`);
            return;
        }
        case 'failures':
            term.status('pass', 'intake', `the ${what} would be accepted (202): ${report.tickets.length + report.omitted} failed run(s)`);
            for (const t of report.tickets) {
                term.line();
                printTicket(t, config, term);
            }
            if (report.omitted > 0) term.line(`\n… and ${report.omitted} more run(s) not replayed (raise --max to see them)`);
            term.line();
            term.line(term.dim('Dry run: nothing was written, no rerun or repair was started.'));
    }
}
