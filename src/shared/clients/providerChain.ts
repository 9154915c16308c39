import type { Analysis } from '../domain';
import type { AnalysisCache, ProviderState } from './analysisCache';
import type { CallLog, FailureFacts, LlmProvider } from './llm';

export type ChainAnswer =
    | { analysis: Analysis; provider: LlmProvider; note?: string; configError?: string }
    | { analysis?: undefined; note: string; configError?: string };

interface ChainOptions {
    cache?: AnalysisCache;
    now: () => Date;
    log?: (message: string) => void;
}

/** Pauses seen by this process, so a paused provider costs no storage read either. */
const pauses = new Map<string, { until: number; note: string }>();

async function pauseOf(p: LlmProvider, o: ChainOptions): Promise<{ until: number; note: string } | undefined> {
    const key = `${p.name}/${p.model}`;
    let pause = pauses.get(key);
    if (!pause && o.cache) {
        const state: ProviderState = await o.cache.provider(key).catch(() => ({}));
        const until = state.pausedUntil ? Date.parse(state.pausedUntil) : NaN;
        if (Number.isFinite(until)) pause = { until, note: state.pauseNote ?? 'paused' };
    }
    if (!pause || pause.until <= o.now().getTime()) return undefined;
    pauses.set(key, pause);
    return pause;
}

async function remember(p: LlmProvider, o: ChainOptions, state: ProviderState): Promise<void> {
    try {
        await o.cache?.updateProvider(`${p.name}/${p.model}`, state);
    } catch (e) {
        o.log?.(`could not record the state of ${p.name}: ${(e as Error).message}`);
    }
}

/**
 * Asks each provider in turn until one answers. The next provider is tried only when the previous one gave no
 * answer at all (down, quota, configuration): a blocked or invalid answer is the model's, another model is no cure.
 */
export async function askProviders(
    providers: readonly LlmProvider[],
    facts: FailureFacts,
    log: CallLog,
    o: ChainOptions,
): Promise<ChainAnswer> {
    const notes: string[] = [];
    let configError: string | undefined;
    for (const [i, p] of providers.entries()) {
        const label = i === 0 ? '' : `then ${p.name} (${p.model}): `;
        const pause = await pauseOf(p, o);
        if (pause) {
            const kind = /^unavailable \(([^)]+)\)/.exec(pause.note)?.[1] ?? 'paused';
            const until = new Date(pause.until).toISOString();
            notes.push(`${label}unavailable (${kind}): no call before ${until} (${pause.note})`);
            continue;
        }
        const answer = await p.ask(facts, log);
        const at = o.now().toISOString();
        if (answer.ok) {
            await remember(p, o, { lastOkAt: at });
            const note = notes.length ? notes.join('; ') : undefined;
            return { analysis: answer.analysis, provider: p, note, configError };
        }
        notes.push(`${label}${answer.note}`);
        if (answer.configError) configError ??= `${p.name} (${p.model}): ${answer.note}`;
        const kind = answer.configError ? 'config' : (/^(\w+)/.exec(answer.note)?.[1] ?? 'error');
        const state: ProviderState = { lastError: answer.note.slice(0, 1000), lastErrorKind: kind, lastErrorAt: at };
        if (answer.pauseUntil) {
            const pause = { until: answer.pauseUntil, note: answer.note.slice(0, 500) };
            pauses.set(`${p.name}/${p.model}`, pause);
            Object.assign(state, { pausedUntil: new Date(pause.until).toISOString(), pauseNote: pause.note });
        }
        await remember(p, o, state);
        if (!answer.unavailable) break;
    }
    return { note: notes.join('; '), configError };
}

/** For tests: forget the pauses this process has seen. */
export function clearPauses(): void {
    pauses.clear();
}
