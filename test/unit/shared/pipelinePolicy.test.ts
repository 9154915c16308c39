import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadConfig } from '../../../src/shared/config';
import type { Decision } from '../../../src/shared/domain';
import { maintenanceEnd, matchesPattern, type Overlay, overlayDecision } from '../../../src/shared/pipelinePolicy';

const rerun: Decision = { action: 'rerun', autoHeal: true, reason: 'Rerun, attempt 1 of 3, in 60 s: rule x.', maxAttempts: 3, delaySeconds: 60 };
const base: Overlay = {
    pipeline: 'pl_finance_close', attemptsMade: 0, now: new Date('2025-03-16T02:00:00Z'), overrides: [], windows: [],
    approvalClasses: [], errorClass: 'transient', approval: { timeoutMinutes: 30, defaultOutcome: 'reject' }, dryRun: false,
};

describe('pipeline policy overlay', () => {
    it('matches name patterns with * wildcards, case-insensitively', () => {
        assert.ok(matchesPattern('pl_finance_*', 'PL_Finance_Close'));
        assert.ok(!matchesPattern('pl_finance_*', 'pl_sales_daily'));
        assert.ok(matchesPattern('*', 'anything (with) [regex] chars'));
    });

    it('never auto-heals a pipeline configured so, whatever the policy said', () => {
        const d = overlayDecision(rerun, { ...base, overrides: [{ pipeline: 'pl_finance_*', neverAutoHeal: true }] });
        assert.equal(d.action, 'escalate');
        assert.match(d.reason, /never to auto-heal.*pl_finance_\*/);
    });

    it('escalates while the circuit breaker is open', () => {
        const d = overlayDecision(rerun, { ...base, breaker: { until: '2025-03-16T03:00:00Z', failures: 3, windowMinutes: 60 } });
        assert.equal(d.action, 'escalate');
        assert.match(d.reason, /circuit breaker.*open.*until 2025-03-16T03:00:00Z/);
    });

    it('caps attempts per pipeline', () => {
        const overrides = [{ pipeline: 'pl_finance_close', maxAttempts: 1 }];
        assert.equal(overlayDecision(rerun, { ...base, overrides }).action, 'rerun');
        assert.equal(overlayDecision(rerun, { ...base, overrides, attemptsMade: 1 }).action, 'escalate');
    });

    it('defers a rerun to the end of a maintenance window', () => {
        const windows = [{ pipeline: '*', days: ['Sun' as const], from: '01:00', to: '05:00' }];
        assert.equal(maintenanceEnd(windows, 'p', base.now)?.toISOString(), '2025-03-16T05:00:00.000Z');
        assert.equal(maintenanceEnd(windows, 'p', new Date('2025-03-17T02:00:00Z')), undefined, 'Monday is outside');
        const d = overlayDecision(rerun, { ...base, windows });
        assert.equal(d.action, 'rerun');
        assert.equal(d.delaySeconds, 3 * 3600);
        assert.match(d.reason, /maintenance window/);
    });

    it('asks for approval by class or by pipeline, and marks dry runs', () => {
        const byClass = overlayDecision(rerun, { ...base, approvalClasses: ['transient'] });
        assert.deepEqual(byClass.approval, { timeoutMinutes: 30, defaultOutcome: 'reject', why: 'class transient' });
        const byPipeline = overlayDecision(rerun, { ...base, overrides: [{ pipeline: 'pl_finance_*', requireApproval: true }] });
        assert.match(byPipeline.approval?.why ?? '', /pl_finance_\*/);
        assert.equal(overlayDecision(rerun, base).approval, undefined);
        const dry = overlayDecision(rerun, { ...base, dryRun: true });
        assert.equal(dry.dryRun, true);
        assert.match(dry.reason, /^Dry run/);
    });

    it('leaves an escalation alone', () => {
        const escalate: Decision = { ...rerun, action: 'escalate', autoHeal: false, reason: 'no' };
        assert.deepEqual(overlayDecision(escalate, { ...base, dryRun: true, approvalClasses: ['transient'] }), escalate);
    });

    it('parses the JSON settings and names the bad field', () => {
        const config = loadConfig({
            STORAGE_CONNECTION_STRING: 'x',
            PIPELINE_OVERRIDES: '[{"pipeline":"pl_*","requireApproval":true}]',
            MAINTENANCE_WINDOWS: '[{"days":["Sat","Sun"],"from":"00:00","to":"06:00"}]',
            APPROVAL_REQUIRED_CLASSES: 'capacity, transient',
            DRY_RUN: 'true',
        });
        assert.deepEqual(config.PIPELINE_OVERRIDES, [{ pipeline: 'pl_*', requireApproval: true }]);
        assert.equal(config.MAINTENANCE_WINDOWS[0]?.pipeline, '*');
        assert.deepEqual(config.APPROVAL_REQUIRED_CLASSES, ['capacity', 'transient']);
        assert.equal(config.DRY_RUN, true);
        assert.throws(() => loadConfig({ STORAGE_CONNECTION_STRING: 'x', MAINTENANCE_WINDOWS: '[{"days":["Sun"],"from":"1am","to":"05:00"}]' }), /MAINTENANCE_WINDOWS.*from.*HH:MM/);
        assert.throws(() => loadConfig({ STORAGE_CONNECTION_STRING: 'x', PIPELINE_OVERRIDES: 'not json' }), /PIPELINE_OVERRIDES.*expected JSON/);
        assert.throws(() => loadConfig({ STORAGE_CONNECTION_STRING: 'x', APPROVAL_REQUIRED_CLASSES: 'Capacity' }), /not an error class/);
    });
});
