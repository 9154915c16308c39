import type { Analysis, AnalysisResult, Classification, FailureDetails, FailureSignal } from '../domain';
import type { LlmExchange } from '../ports';

export type Usage = NonNullable<AnalysisResult['usage']>;
export const noUsage = (): Usage => ({ calls: 0, promptTokens: 0, outputTokens: 0, totalTokens: 0 });

export interface FailureFacts {
    signal: FailureSignal;
    details: FailureDetails;
    classification: Classification;
}

/** What a provider made of one failure. */
export type ProviderAnswer =
    | { ok: true; analysis: Analysis }
    | {
          ok: false;
          /** 'unavailable (quota): ...', 'blocked: ...', 'invalid output: ...' */
          note: string;
          /** No answer at all (down, quota, rate limit, timeout, configuration): the next provider may try. */
          unavailable: boolean;
          /** Epoch ms until which no call should be made (daily quota, long rate-limit waits). */
          pauseUntil?: number;
          configError?: boolean;
      };

/** Every request a provider made for one ticket, and the tokens they cost. */
export class CallLog {
    readonly exchanges: LlmExchange[] = [];
    readonly usage: Usage = noUsage();

    record(exchange: LlmExchange): void {
        this.exchanges.push(exchange);
        this.usage.calls++;
        this.usage.promptTokens += exchange.tokens?.prompt ?? 0;
        this.usage.outputTokens += exchange.tokens?.output ?? 0;
        this.usage.totalTokens += exchange.tokens?.total ?? 0;
    }
}

export interface LlmProvider {
    readonly name: 'gemini' | 'ollama';
    readonly model: string;
    /** Never throws: every failure becomes a note; every request is recorded in `log`. */
    ask(facts: FailureFacts, log: CallLog): Promise<ProviderAnswer>;
}

export const correction = (problem: string) =>
    `Your previous reply could not be used (${problem}). Reply again with exactly one JSON object with the keys ` +
    'root_cause, category, auto_heal_possible, recommended_action and confidence, and nothing else.';
