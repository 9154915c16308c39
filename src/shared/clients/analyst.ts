import type { Analysis, AnalysisResult } from '../domain';
import type { ModelAnswer, RcaModel } from '../ports';
import type { AnalysisCache, CachedAnalysis } from './analysisCache';
import { CallLog, type FailureFacts, type LlmProvider, noUsage } from './llm';
import { askProviders } from './providerChain';
import { redact } from './redact';
import { errorSignature } from './signature';

export interface AnalystOptions {
    /** Tried in order; the next one only when the previous gave no answer at all (unavailable). */
    providers: LlmProvider[];
    /** Shared across instances; without it (or with a TTL of 0) every ticket asks the model. */
    cache?: AnalysisCache;
    /** The rules' analysis, used whenever no model gives one. */
    fallback: (facts: FailureFacts) => Analysis;
    now?: () => Date;
    sleep?: (ms: number) => Promise<void>;
    /** How long to wait for another instance that is analysing the same signature (polls × interval). */
    waitPolls?: number;
    pollMs?: number;
    log?: (message: string) => void;
}

export const NOT_CONFIGURED =
    'no model is configured (GEMINI_API_KEY and OLLAMA_URL unset); the deterministic rules analysed this failure';

/** What one flight (one model conversation) produced, shared with every ticket of the same signature. */
interface Flight {
    entry?: CachedAnalysis;
    fromCache: boolean;
    note?: string;
    configError?: string;
}

/** Root-cause analysis: cache by error signature, then the providers in order, then the rules. */
export function createAnalyst(opts: AnalystOptions): RcaModel {
    const now = opts.now ?? (() => new Date());
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const cache = opts.cache && opts.cache.ttlMinutes > 0 ? opts.cache : undefined;
    const flights = new Map<string, Promise<Flight>>();
    const warn = (what: string, e: unknown) =>
        opts.log?.(`analysis cache ${what} failed, going on without it: ${redact((e as Error).message ?? String(e))}`);

    const rules = (facts: FailureFacts, note: string, log?: CallLog): ModelAnswer => ({
        result: { source: 'rules', analysis: opts.fallback(facts), note: redact(note), usage: log?.usage ?? noUsage() },
        exchanges: log?.exchanges ?? [],
    });

    const hit = (entry: CachedAnalysis, hash: string, usage = noUsage()): AnalysisResult => ({
        source: entry.source,
        analysis: entry.analysis,
        model: entry.model,
        usage,
        cached: { signature: hash, firstTicketId: entry.firstTicketId, at: entry.at },
    });

    async function waitFor(hash: string): Promise<CachedAnalysis | undefined> {
        for (let i = 0; i < (opts.waitPolls ?? 60); i++) {
            await sleep(opts.pollMs ?? 1000);
            const entry = await cache?.get(hash);
            if (entry) return entry;
        }
        return undefined;
    }

    async function fly(facts: FailureFacts, hash: string, log: CallLog): Promise<Flight> {
        let claimed = false;
        if (cache) {
            try {
                const claim = await cache.claim(hash, facts.signal.ticketId);
                if (claim.kind === 'hit') return { entry: claim.entry, fromCache: true };
                claimed = claim.kind === 'claimed';
                const waited = claim.kind === 'busy' ? await waitFor(hash) : undefined;
                if (waited) return { entry: waited, fromCache: true };
            } catch (e) {
                warn('lookup', e);
            }
        }
        const answer = await askProviders(opts.providers, facts, log, { cache, now, log: opts.log });
        if (!answer.analysis) {
            if (claimed) await cache?.release(hash).catch((e: unknown) => warn('release', e));
            return { fromCache: false, note: answer.note, configError: answer.configError };
        }
        const entry: Omit<CachedAnalysis, 'expiresAt'> = {
            analysis: answer.analysis,
            source: answer.provider.name,
            model: answer.provider.model,
            firstTicketId: facts.signal.ticketId,
            at: now().toISOString(),
        };
        const stored = cache ? await cache.put(hash, entry).catch((e: unknown) => warn('write', e)) : undefined;
        const { note, configError } = answer;
        return { entry: stored ?? { ...entry, expiresAt: entry.at }, fromCache: false, note, configError };
    }

    return {
        async analyse(signal, details, classification): Promise<ModelAnswer> {
            const facts: FailureFacts = { signal, details, classification };
            if (opts.providers.length === 0) return rules(facts, NOT_CONFIGURED);
            const { hash } = errorSignature(signal, details, classification);
            const running = flights.get(hash);
            if (running) {
                // Another ticket of this process is asking about the same failure right now: share its answer.
                const shared = await running;
                return shared.entry
                    ? { result: hit(shared.entry, hash), exchanges: [] }
                    : rules(facts, shared.note ?? 'no model analysis');
            }
            const log = new CallLog();
            const flight = fly(facts, hash, log);
            flights.set(hash, flight);
            try {
                const own = await flight;
                const { configError } = own;
                if (!own.entry) return { ...rules(facts, own.note ?? 'no model analysis', log), configError };
                const { source, analysis, model } = own.entry;
                const note = own.note ? { note: redact(own.note) } : {};
                const result = own.fromCache
                    ? hit(own.entry, hash, log.usage)
                    : { source, analysis, model, usage: log.usage, ...note };
                return { result, exchanges: log.exchanges, configError };
            } finally {
                flights.delete(hash);
            }
        },
    };
}
