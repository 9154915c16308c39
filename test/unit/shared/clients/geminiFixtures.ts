import type { Analysis, AnalysisResult, Classification, FailureDetails, FailureSignal } from '../../../../src/shared/domain';
import { createAnalyst } from '../../../../src/shared/clients/analyst';
import { createGeminiProvider } from '../../../../src/shared/clients/gemini';
import { clearPauses } from '../../../../src/shared/clients/providerChain';
import type { Scripted, Stub } from './stubServer';

export const signal: FailureSignal = {
    ticketId: 't-1',
    dedupKey: 'adf|f|pl_sync_partner_prices|5e2b7d91',
    source: 'adf',
    pipeline: 'pl_sync_partner_prices',
    runId: '5e2b7d91-3c4a-4f6e-a8b0-1d2c3e4f5a6b',
    severity: 'Sev2',
    firedAt: '2025-03-14T02:06:55Z',
};

export const details = (
    message = "Error calling the endpoint 'https://api.partner-feed.example.net/v2/oauth/token'.",
): FailureDetails => ({
    found: true,
    runStatus: 'Failed',
    runMessage: 'Operation on target Web_Get_Partner_Token failed: Error calling the endpoint',
    errors: [
        {
            scope: 'activity',
            name: 'Web_Get_Partner_Token',
            type: 'WebActivity',
            code: '2108',
            failureType: 'UserError',
            message,
        },
    ],
});

export const classification: Classification = {
    errorClass: 'transient',
    ruleId: 'adf-2108-no-status',
    retryable: true,
    errorCode: '2108',
    reason: 'endpoint call failed before any HTTP status',
    extracted: { host: 'api.partner-feed.example.net' },
};

export const rulesAnalysis: Analysis = {
    root_cause: 'rules: transient endpoint failure',
    category: 'transient',
    auto_heal_possible: true,
    recommended_action: 'rerun',
    confidence: 0.5,
};

export const good: Analysis = {
    root_cause: 'Partner endpoint unreachable',
    category: 'transient',
    auto_heal_possible: true,
    recommended_action: 'Rerun from the failed activity.',
    confidence: 0.78,
};

export function reply(text: string, finishReason = 'STOP'): Scripted {
    return {
        status: 200,
        body: {
            candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason, index: 0 }],
            modelVersion: 'gemini-2.5-flash',
        },
    };
}

export function gemini(stub: Stub, sleeps: number[] = [], timeoutMs = 3000) {
    return createGeminiProvider({
        apiKey: 'test-key',
        model: 'gemini-2.5-flash',
        baseUrl: stub.url,
        timeoutMs,
        sleep: (ms: number) => {
            sleeps.push(ms);
            return Promise.resolve();
        },
        random: () => 0.5,
    });
}

/** Gemini alone behind the analyst (no cache); `analyse` answers the AnalysisResult the ticket gets. */
export function model(stub: Stub, sleeps: number[] = [], timeoutMs = 3000) {
    clearPauses();
    const analyst = createAnalyst({ providers: [gemini(stub, sleeps, timeoutMs)], fallback: () => rulesAnalysis });
    return {
        analyse: async (s: FailureSignal, d: FailureDetails, c: Classification): Promise<AnalysisResult> =>
            (await analyst.analyse(s, d, c)).result,
    };
}

export interface SentRequest {
    contents: Array<{ role: string; parts: Array<{ text: string }> }>;
    generationConfig: Record<string, unknown> & { maxOutputTokens: number };
}

export const sent = (stub: Stub): SentRequest[] => stub.requests.map((r) => JSON.parse(r.body) as SentRequest);
export const promptOf = (req: SentRequest | undefined): string => req?.contents[0]?.parts[0]?.text ?? '';
export const GENERATE = /\/v1beta\/models\/gemini-2\.5-flash:generateContent/;
