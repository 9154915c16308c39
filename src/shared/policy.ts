import {
    type Analysis,
    type AnalysisResult,
    AnalysisSchema,
    type Classification,
    type Decision,
    type ErrorClass,
} from './domain';

export interface PolicyInput {
    classification: Classification;
    analysis?: AnalysisResult;
    attemptsMade: number;
    maxAttempts: number;
    baseDelaySeconds: number;
    /** Least wait before retrying a capacity failure (default CAPACITY_MIN_DELAY_SECONDS). */
    capacityDelaySeconds?: number;
    /** Capacity failures' attempt budget (default 1). */
    capacityMaxAttempts?: number;
    /** The decision's time (ISO), for waits the error itself names ("blocked until ..."). */
    now?: string;
    /** Longest wait for an upstream that says when it unblocks; longer waits escalate (default 24 h). */
    maxUpstreamWaitHours?: number;
    /** Longest wait for an offline integration runtime to come back before rerunning (default 120 min). */
    integrationRuntimeWaitMinutes?: number;
    /** Stable per ticket (e.g. the ticket id), so the jitter replays identically. */
    seed: string;
}

/** The model's advice counts only from this confidence on, and only when no rule decides. */
export const MIN_MODEL_CONFIDENCE = 0.7;
export const CAPACITY_MIN_DELAY_SECONDS = 300;
const ADVISABLE: ReadonlySet<ErrorClass> = new Set(['transient', 'capacity']);

/** Automatic attempts allowed for a class: capacity errors are worth exactly one more try. */
export function budgetFor(errorClass: ErrorClass, maxAttempts: number): number {
    return errorClass === 'capacity' ? Math.min(1, maxAttempts) : maxAttempts;
}

/** FNV-1a: a tiny deterministic hash, so this module stays importable from orchestrators. */
function fnv1a(text: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
}

/** base * 2^(attempt-1) * (0.8 + 0.4 * frac), frac from a hash of seed and attempt (never Math.random). */
export function backoffSeconds(attempt: number, baseSeconds: number, seed: string): number {
    const frac = fnv1a(`${seed}#${attempt}`) / 2 ** 32;
    return Math.round(baseSeconds * 2 ** Math.max(0, attempt - 1) * (0.8 + 0.4 * frac));
}

/** A precondition to wait for before a rerun can help (C16: the self-hosted IR must be Online again). */
export function rerunPrecondition(
    c: Classification,
): { kind: 'integrationRuntimeOnline'; integrationRuntime: string } | undefined {
    const ir = c.extracted.integrationRuntime;
    return c.errorClass === 'infrastructure' && ir
        ? { kind: 'integrationRuntimeOnline', integrationRuntime: ir }
        : undefined;
}

function modelAnalysis(result: AnalysisResult | undefined): Analysis | undefined {
    if (!result || result.source === 'rules') return undefined;
    const parsed = AnalysisSchema.safeParse(result.analysis);
    return parsed.success ? parsed.data : undefined;
}

function adviceText(a: Analysis): string {
    return `the model ${a.auto_heal_possible ? 'advised' : 'advised against'} auto-heal (${a.category}, confidence ${a.confidence})`;
}

function noAdviceText(result: AnalysisResult | undefined): string {
    if (!result) return 'there is no model analysis';
    if (result.source === 'rules')
        return `there is no model advice (rules-only analysis${result.note ? `: ${result.note}` : ''})`;
    return 'the model analysis is not valid';
}

function ruleText(c: Classification): string {
    const inner = c.extracted.innerErrorCode ? `, ErrorCode=${c.extracted.innerErrorCode}` : '';
    return `rule ${c.ruleId}${c.errorCode ? ` (code ${c.errorCode}${inner})` : ''}`;
}

interface Verdict {
    rerun: boolean;
    basis: string;
    advisedByModel: boolean;
}

function verdictFor(c: Classification, model: Analysis | undefined, result: AnalysisResult | undefined): Verdict {
    if (c.retryable !== null) {
        const agrees = model && model.auto_heal_possible === c.retryable;
        const modelPart = !model
            ? ''
            : agrees
              ? `; ${adviceText(model)}, in agreement`
              : `; ${adviceText(model)}, overridden by the rule`;
        const retry = c.retryable ? 'retryable' : 'not retryable';
        return {
            rerun: c.retryable,
            basis: `${ruleText(c)} classifies the failure as ${c.errorClass}, ${retry}${modelPart}`,
            advisedByModel: false,
        };
    }
    const guess = c.ruleId === 'none' ? 'class unknown' : `first guess ${c.errorClass} from ${ruleText(c)}`;
    const prefix = `no rule decides (${guess})`;
    if (!model) return { rerun: false, basis: `${prefix} and ${noAdviceText(result)}`, advisedByModel: false };
    // The model may confirm a rerun the rules already lean towards, never create one (precision whatever it says).
    const accepted =
        model.auto_heal_possible &&
        ADVISABLE.has(c.errorClass) &&
        ADVISABLE.has(model.category) &&
        model.confidence >= MIN_MODEL_CONFIDENCE;
    if (accepted) return { rerun: true, basis: `${prefix}; ${adviceText(model)}, accepted`, advisedByModel: true };
    const why = !model.auto_heal_possible
        ? ''
        : !ADVISABLE.has(c.errorClass)
          ? `, not followed: advice alone never reruns a failure the rules do not guess transient or capacity`
          : !ADVISABLE.has(model.category)
          ? ', not followed: only transient or capacity advice counts'
          : `, not followed: confidence below ${MIN_MODEL_CONFIDENCE}`;
    return { rerun: false, basis: `${prefix}; ${adviceText(model)}${why}`, advisedByModel: false };
}

/** The pure remediation policy: rules win over the model in both directions; budgets cap the reruns. */
export function decide(input: PolicyInput): Decision {
    const { classification: c, analysis, attemptsMade, maxAttempts } = input;
    const model = modelAnalysis(analysis);
    const v = verdictFor(c, model, analysis);
    const capacity = c.errorClass === 'capacity' || (v.advisedByModel && model?.category === 'capacity');
    const budget = capacity && input.capacityMaxAttempts !== undefined
        ? Math.min(input.capacityMaxAttempts, maxAttempts)
        : budgetFor(capacity ? 'capacity' : c.errorClass, maxAttempts);
    const escalate = (reason: string): Decision => ({
        action: 'escalate',
        autoHeal: false,
        reason,
        maxAttempts: budget,
        delaySeconds: 0,
    });
    const pre = rerunPrecondition(c);
    if (!v.rerun && !pre) return escalate(`Escalate: ${v.basis}.`);
    if (attemptsMade >= budget) {
        const capNote = capacity ? ', capacity errors get one' : '';
        return escalate(
            `Escalate: ${v.basis}, but the retry budget is spent (${attemptsMade} of ${budget} attempts used${capNote}).`,
        );
    }
    const attempt = attemptsMade + 1;
    if (pre) {
        // Rerunning while the runtime is offline fails the same way: wait for it (bounded), then rerun.
        const maxWaitMinutes = input.integrationRuntimeWaitMinutes ?? 120;
        return {
            action: 'rerun',
            autoHeal: true,
            reason:
                `Wait until integration runtime '${pre.integrationRuntime}' is Online (checked with backoff for at most ` +
                `${maxWaitMinutes} min, else escalate), then rerun from the failed activity, attempt ${attempt} of ${budget}: ${v.basis}.`,
            maxAttempts: budget,
            delaySeconds: 0,
            waitFor: { kind: 'integrationRuntime', name: pre.integrationRuntime, maxWaitMinutes },
        };
    }
    let delay = backoffSeconds(attempt, input.baseDelaySeconds, input.seed);
    if (capacity) delay = Math.max(delay, input.capacityDelaySeconds ?? CAPACITY_MIN_DELAY_SECONDS);
    const blocked = c.extracted.blockedUntil ? Date.parse(c.extracted.blockedUntil) : NaN;
    const now = input.now ? Date.parse(input.now) : NaN;
    if (Number.isFinite(blocked) && Number.isFinite(now) && blocked > now) {
        const waitSeconds = Math.ceil((blocked - now) / 1000);
        const maxHours = input.maxUpstreamWaitHours ?? 24;
        const until = `${c.extracted.blockedUntil!.slice(0, 16)}Z`;
        if (waitSeconds > maxHours * 3600) {
            return escalate(`Escalate: upstream blocked until ${until}, longer than the ${maxHours} h this policy waits; ${v.basis}.`);
        }
        delay = Math.max(delay, waitSeconds);
        return {
            action: 'rerun',
            autoHeal: true,
            reason: `Rerun, attempt ${attempt} of ${budget}, at ${until} when the upstream unblocks: ${v.basis}.`,
            maxAttempts: budget,
            delaySeconds: delay,
        };
    }
    return {
        action: 'rerun',
        autoHeal: true,
        reason: `Rerun, attempt ${attempt} of ${budget}, in ${delay} s: ${v.basis}.`,
        maxAttempts: budget,
        delaySeconds: delay,
    };
}

/** A poll interval with ±10% deterministic jitter, so many tickets do not poll in lockstep. */
export function pollDelaySeconds(intervalSeconds: number, seed: string, poll: number): number {
    const frac = fnv1a(`${seed}#poll${poll}`) / 2 ** 32;
    return Math.max(1, Math.round(intervalSeconds * (0.9 + 0.2 * frac)));
}
