import type { Content, GoogleGenAI } from '@google/genai' with { 'resolution-mode': 'import' };
import type { Analysis, AnalysisResult, Classification, FailureDetails, FailureSignal } from '../domain';
import type { RcaModel } from '../ports';
import { analysisJsonSchema, buildPrompt } from './geminiPrompt';
import { readError, readResponse, type Outcome } from './geminiReply';
import { redact } from './redact';

export interface GeminiModelOptions {
    apiKey: string;
    model: string;
    baseUrl?: string;
    /** Per request. */
    timeoutMs: number;
    /** The rules' analysis, used whenever Gemini gives none. */
    fallback: (signal: FailureSignal, details: FailureDetails, classification: Classification) => Analysis;
    /** Output token limit of the first call (default 2048); a MAX_TOKENS answer is retried once with 4×. */
    maxOutputTokens?: number;
    sleep?: (ms: number) => Promise<void>;
    random?: () => number;
}

const MAX_RATE_LIMIT_WAIT_MS = 60_000;
const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;
const MAX_REPLY_ECHO = 2000;

const user = (text: string): Content => ({ role: 'user', parts: [{ text }] });
const modelTurn = (text: string): Content => ({ role: 'model', parts: [{ text }] });

const correction = (problem: string) =>
    `Your previous reply could not be used (${problem}). Reply again with exactly one JSON object with the keys ` +
    'root_cause, category, auto_heal_possible, recommended_action and confidence, and nothing else.';

export function createGeminiModel(opts: GeminiModelOptions): RcaModel {
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const random = opts.random ?? Math.random;
    const schema = analysisJsonSchema();
    let client: Promise<GoogleGenAI> | undefined;

    // The SDK ships as ESM typings; a dynamic import keeps this CommonJS project happy.
    const ai = () =>
        (client ??= import('@google/genai').then(
            (m) =>
                new m.GoogleGenAI({
                    apiKey: opts.apiKey,
                    httpOptions: { baseUrl: opts.baseUrl, timeout: opts.timeoutMs },
                }),
        ));

    async function call(contents: Content[], maxOutputTokens: number): Promise<Outcome> {
        try {
            const res = await (
                await ai()
            ).models.generateContent({
                model: opts.model,
                contents,
                config: {
                    responseMimeType: 'application/json',
                    responseJsonSchema: schema,
                    temperature: 0.2,
                    maxOutputTokens,
                },
            });
            return readResponse(res);
        } catch (err) {
            return readError(err);
        }
    }

    async function ask(signal: FailureSignal, details: FailureDetails, c: Classification): Promise<Analysis | string> {
        let prompt = buildPrompt(signal, details, c);
        let contents = [user(prompt)];
        let maxTokens = opts.maxOutputTokens ?? 2048;
        const left = { invalid: 1, truncated: 1, blocked: 1, unavailable: 2, rateLimited: 1 };
        const blocks: string[] = [];
        for (;;) {
            const out = await call(contents, maxTokens);
            switch (out.kind) {
                case 'ok':
                    return out.analysis;
                case 'invalid':
                    if (left.invalid-- <= 0) return `invalid output: ${out.problem}`;
                    contents = [
                        user(prompt),
                        modelTurn(out.reply.slice(0, MAX_REPLY_ECHO)),
                        user(correction(out.problem)),
                    ];
                    break;
                case 'max_tokens':
                    if (left.truncated-- <= 0)
                        return `invalid output: reply cut off at ${maxTokens} tokens (MAX_TOKENS)`;
                    maxTokens *= 4;
                    break;
                case 'blocked':
                    blocks.push(out.reason);
                    if (left.blocked-- <= 0) return `blocked: ${blocks.join(', then ')}`;
                    prompt = buildPrompt(signal, details, c, { minimal: true });
                    contents = [user(prompt)];
                    break;
                case 'timeout':
                    return `unavailable (timeout): no answer within ${opts.timeoutMs} ms`;
                case 'network':
                case 'http': {
                    const status = out.kind === 'http' ? out.status : 0;
                    const reason = out.reason;
                    if (status === 429) {
                        if (out.kind === 'http' && out.daily)
                            return `unavailable (quota): per-day quota exhausted: ${reason}`;
                        const wait = (out.kind === 'http' && out.retryDelayMs) || DEFAULT_RATE_LIMIT_WAIT_MS;
                        if (wait > MAX_RATE_LIMIT_WAIT_MS || left.rateLimited-- <= 0) {
                            return `unavailable (rate limited): ${reason}`;
                        }
                        await sleep(wait);
                    } else if (status === 0 || status >= 500) {
                        if (left.unavailable <= 0) return `unavailable (service): ${reason}`;
                        const n = 2 - left.unavailable--;
                        await sleep(1000 * 2 ** n + Math.floor(random() * 500));
                    } else {
                        return `unavailable (LLM config): ${reason}`;
                    }
                    break;
                }
            }
        }
    }

    return {
        async analyse(signal, details, classification): Promise<AnalysisResult> {
            let note: string;
            try {
                const answer = await ask(signal, details, classification);
                if (typeof answer !== 'string') return { source: 'gemini', analysis: answer };
                note = answer;
            } catch (err) {
                note = `unavailable (internal): ${err instanceof Error ? err.name : 'error'}`;
            }
            return { source: 'rules', analysis: opts.fallback(signal, details, classification), note: redact(note) };
        },
    };
}
