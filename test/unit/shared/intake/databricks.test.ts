import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureSignalSchema } from '../../../../src/shared/domain';
import { dedupKeyForDatabricks, type IntakeOutcome, parseDatabricksEvent } from '../../../../src/shared/intake';
import { scenario } from './loadCase';

const AT = { receivedAt: '2025-03-14T02:22:00.000Z' };

function c22Body(): Record<string, unknown> {
    const step = scenario('C22-dbx-webhook-cloud-failure').steps.find(
        (s) => s.request?.path === '/api/alerts/databricks',
    );
    return structuredClone(step?.request?.body) as Record<string, unknown>;
}

function signalOf(outcome: IntakeOutcome) {
    assert.equal(outcome.kind, 'failures', JSON.stringify(outcome));
    if (outcome.kind !== 'failures') throw new Error('unreachable');
    assert.equal(outcome.signals.length, 1);
    return FailureSignalSchema.parse(outcome.signals[0]);
}

describe('parseDatabricksEvent', () => {
    it('C22: turns the minimal jobs.on_failure payload into one signal keyed on workspace and run', () => {
        const s = signalOf(parseDatabricksEvent(c22Body(), AT));
        assert.equal(s.source, 'databricks');
        assert.equal(s.pipeline, 'nightly_orders_silver');
        assert.equal(s.runId, '771234567890123');
        assert.equal(s.severity, 'Sev2');
        assert.equal(s.firedAt, AT.receivedAt);
        assert.equal(s.dedupKey, 'dbx|5550001112223334|771234567890123');
        assert.match(s.ticketId, /^dbx-[0-9a-f]{32}$/);
        assert.deepEqual(s.databricks, {
            workspaceId: '5550001112223334',
            runId: '771234567890123',
            jobId: '441122334455667',
            jobName: 'nightly_orders_silver',
        });
    });

    it('accepts numeric ids and keeps them as decimal strings', () => {
        const body = { ...c22Body(), workspace_id: 5550001112223334, run: { run_id: 771234567890123 } };
        const s = signalOf(parseDatabricksEvent(body, AT));
        assert.equal(s.databricks?.workspaceId, '5550001112223334');
        assert.equal(s.runId, '771234567890123');
    });

    it('keeps ids above 2^53 exact when given the raw text, and rejects numbers that already lost precision', () => {
        const raw =
            '{"event_type":"jobs.on_failure","workspace_id":123,"run":{"run_id":9007199254740993},"job":{"job_id":7}}';
        const s = signalOf(parseDatabricksEvent(raw, AT));
        assert.equal(s.runId, '9007199254740993');
        assert.equal(s.pipeline, 'job 7', 'no job name: job <id>');
        const lossy = parseDatabricksEvent(JSON.parse(raw), AT);
        assert.equal(lossy.kind, 'invalid');
        if (lossy.kind === 'invalid') {
            assert.equal(lossy.issues[0]?.path, 'run.run_id');
            assert.match(lossy.issues[0]?.message ?? '', /2\^53/);
        }
    });

    it('keys a task failure on the parent run, so it shares the ticket of the job failure', () => {
        const task = {
            ...c22Body(),
            run: { run_id: '771234567890124', parent_run_id: '771234567890123' },
            task: { task_key: 'silver_orders' },
        };
        const job = signalOf(parseDatabricksEvent(c22Body(), AT));
        const fromTask = signalOf(parseDatabricksEvent(task, AT));
        assert.equal(fromTask.dedupKey, job.dedupKey);
        assert.equal(fromTask.ticketId, job.ticketId);
        assert.equal(fromTask.runId, '771234567890123');
        assert.match(fromTask.description ?? '', /silver_orders/);
        assert.equal(fromTask.dedupKey, dedupKeyForDatabricks('5550001112223334', '771234567890123'));
    });

    for (const eventType of [
        'jobs.on_start',
        'jobs.on_success',
        'jobs.on_duration_warning_threshold_exceeded',
        'tasks.on_success',
        'jobs.on_streaming_backlog_exceeded',
    ]) {
        it(`ignores ${eventType} with a reason`, () => {
            const outcome = parseDatabricksEvent({ ...c22Body(), event_type: eventType }, AT);
            assert.equal(outcome.kind, 'ignored');
            if (outcome.kind === 'ignored') assert.ok(outcome.reason.includes(eventType));
        });
    }

    it('rejects a failure event without the essentials, naming the path', () => {
        const missing = parseDatabricksEvent({ event_type: 'jobs.on_failure', run: {} }, AT);
        assert.equal(missing.kind, 'invalid');
        if (missing.kind === 'invalid') {
            assert.deepEqual(missing.issues.map((i) => i.path).sort(), ['run.run_id', 'workspace_id']);
        }
        const noType = parseDatabricksEvent({ workspace_id: '1' }, AT);
        assert.deepEqual(noType.kind === 'invalid' && noType.issues, [
            { path: 'event_type', message: 'expected string' },
        ]);
        assert.equal(parseDatabricksEvent('{"event_type":', AT).kind, 'invalid');
    });
});
