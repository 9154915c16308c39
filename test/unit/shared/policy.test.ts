import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Analysis, AnalysisResult, Classification } from '../../../src/shared/domain';
import { DecisionSchema } from '../../../src/shared/domain';
import { backoffSeconds, budgetFor, decide, type PolicyInput } from '../../../src/shared/policy';

const transient: Classification = {
    errorClass: 'transient',
    ruleId: 'adf-2108-network',
    retryable: true,
    errorCode: '2108',
    reason: 'r',
    extracted: {},
};
const dataMissing: Classification = {
    ...transient,
    errorClass: 'data',
    ruleId: 'adf-source-missing',
    retryable: false,
    errorCode: '2200',
};
const capacity: Classification = {
    ...transient,
    errorClass: 'capacity',
    ruleId: 'dbx-capacity-message',
    errorCode: 'CLOUD_FAILURE',
};
const unknown: Classification = { errorClass: 'unknown', ruleId: 'none', retryable: null, reason: 'r', extracted: {} };

function gemini(a: Partial<Analysis>): AnalysisResult {
    const analysis: Analysis = {
        root_cause: 'x',
        category: 'transient',
        auto_heal_possible: true,
        recommended_action: 'y',
        confidence: 0.9,
        ...a,
    };
    return { source: 'gemini', analysis };
}

function run(over: Partial<PolicyInput>) {
    const input: PolicyInput = {
        classification: transient,
        attemptsMade: 0,
        maxAttempts: 3,
        baseDelaySeconds: 60,
        seed: 'adf-1',
        ...over,
    };
    return DecisionSchema.parse(decide(input));
}

describe('decide', () => {
    it('C15: a not-retryable rule escalates although the model says auto-heal, and says it overrode it', () => {
        const d = run({ classification: dataMissing, analysis: gemini({ confidence: 0.55 }) });
        assert.equal(d.action, 'escalate');
        assert.equal(d.autoHeal, false);
        assert.match(d.reason, /adf-source-missing/);
        assert.match(d.reason, /2200/);
        assert.match(d.reason, /overridden/);
        assert.match(d.reason, /confidence 0\.55/);
    });

    it('a retryable rule reruns although the model advises against it', () => {
        const d = run({ analysis: gemini({ auto_heal_possible: false }) });
        assert.equal(d.action, 'rerun');
        assert.equal(d.autoHeal, true);
        assert.match(d.reason, /advised against auto-heal.*overridden/);
        assert.match(d.reason, /attempt 1 of 3/);
    });

    it('no rule decides, transient first guess: reruns only on confident model advice for a transient or capacity cause', () => {
        const guess: Classification = { ...transient, ruleId: 'adf-2108-no-status', retryable: null };
        assert.equal(run({ classification: guess, analysis: gemini({}) }).action, 'rerun');
        assert.equal(run({ classification: guess, analysis: { ...gemini({}), source: 'ollama' } }).action, 'rerun');
        assert.equal(run({ classification: guess, analysis: gemini({ confidence: 0.69 }) }).action, 'escalate');
        assert.equal(run({ classification: guess, analysis: gemini({ category: 'data' }) }).action, 'escalate');
        assert.equal(
            run({ classification: guess, analysis: gemini({ auto_heal_possible: false }) }).action,
            'escalate',
        );
        const rules: AnalysisResult = { ...gemini({}), source: 'rules', note: 'GEMINI_API_KEY not set' };
        const d = run({ classification: guess, analysis: rules });
        assert.equal(d.action, 'escalate');
        assert.match(d.reason, /rules-only analysis: GEMINI_API_KEY not set/);
        assert.equal(run({ classification: guess }).action, 'escalate');
    });

    it('an unknown failure or a non-transient first guess is never rerun on advice alone', () => {
        const confident = gemini({ confidence: 1 });
        const d = run({ classification: unknown, analysis: confident });
        assert.equal(d.action, 'escalate');
        assert.match(d.reason, /advice alone never reruns/);
        const userError: Classification = { ...unknown, errorClass: 'configuration', ruleId: 'adf-user-error-first-guess' };
        assert.equal(run({ classification: userError, analysis: confident }).action, 'escalate');
    });

    it('ignores a gemini analysis that does not satisfy the schema', () => {
        const bad = { source: 'gemini', analysis: { ...gemini({}).analysis, confidence: 7 } } as AnalysisResult;
        assert.equal(run({ classification: unknown, analysis: bad }).action, 'escalate');
    });

    it('escalates once the budget is spent and says so', () => {
        const d = run({ attemptsMade: 3 });
        assert.equal(d.action, 'escalate');
        assert.match(d.reason, /budget is spent \(3 of 3/);
        assert.equal(run({ attemptsMade: 2 }).action, 'rerun');
    });

    it('capacity gets one attempt, at least 5 minutes away', () => {
        const first = run({ classification: capacity, baseDelaySeconds: 10 });
        assert.equal(first.action, 'rerun');
        assert.equal(first.maxAttempts, 1);
        assert.ok(first.delaySeconds >= 300);
        assert.equal(run({ classification: capacity, attemptsMade: 1 }).action, 'escalate');
        const advised = run({ classification: unknown, analysis: gemini({ category: 'capacity' }), attemptsMade: 1 });
        assert.equal(advised.action, 'escalate', 'model-advised capacity gets the capacity budget');
    });

    it('delays grow with the attempt number', () => {
        const delays = [0, 1, 2].map((attemptsMade) => run({ attemptsMade }).delaySeconds);
        assert.ok(delays[0]! < delays[1]! && delays[1]! < delays[2]!, String(delays));
    });

    it('mentions the integration runtime to wait for on an IR-offline escalation', () => {
        const ir: Classification = {
            ...dataMissing,
            errorClass: 'infrastructure',
            ruleId: 'adf-shir-offline-message',
            extracted: { integrationRuntime: 'ir-1' },
        };
        assert.match(run({ classification: ir }).reason, /integration runtime 'ir-1' is Online/);
    });
});

describe('budgetFor', () => {
    it('is maxAttempts except 1 for capacity', () => {
        assert.equal(budgetFor('transient', 3), 3);
        assert.equal(budgetFor('unknown', 5), 5);
        assert.equal(budgetFor('capacity', 3), 1);
        assert.equal(budgetFor('capacity', 0), 0);
    });
});

describe('backoffSeconds', () => {
    it('is deterministic, within ±20% of base·2^(n-1), and varies with the seed', () => {
        for (const attempt of [1, 2, 3, 4]) {
            const nominal = 60 * 2 ** (attempt - 1);
            const d = backoffSeconds(attempt, 60, 'seed-a');
            assert.equal(backoffSeconds(attempt, 60, 'seed-a'), d);
            assert.ok(d >= Math.floor(nominal * 0.8) && d <= Math.ceil(nominal * 1.2), `${attempt}: ${d}`);
        }
        const spread = new Set(Array.from({ length: 20 }, (_, i) => backoffSeconds(1, 1000, `s${i}`)));
        assert.ok(spread.size > 10, 'jitter depends on the seed');
    });
});
