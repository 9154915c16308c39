import type { Content, GoogleGenAI } from '@google/genai' with { 'resolution-mode': 'import' };
import { analysisJsonSchema, buildPrompt } from './geminiPrompt';
import { nextQuotaReset, readError, readResponse, replyText, tokensOf, type Outcome } from './geminiReply';
import { CallLog, correction, type FailureFacts, type LlmProvider, type ProviderAnswer } from './llm';
import { redact } from './redact';

export interface GeminiOptions {
    apiKey: string;
    model: string;
    baseUrl?: string;
    /** Per request. */
    timeoutMs: number;
    /** Characters of error text in the prompt. */
    errorTextChars?: number;
    /** Output token limit of the first call (default 2048); a MAX_TOKENS answer is retried once with 4×. */
    maxOutputTokens?: number;
    sleep?: (ms: number) => Promise<void>;
    random?: () => number;
    now?: () => number;
}

/** Longest rate-limit wait held inside the activity; a longer one pauses Gemini instead. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;
const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;
const MAX_REPLY_ECHO = 2000;

const user = (text: string): Content => ({ role: 'user', parts: [{ text }] });
const modelTurn = (text: string): Content => ({ role: 'model', parts: [{ text }] });
const transcript = (contents: Content[]) =>
    contents.map((c) => `[${c.role}]\n${(c.parts ?? []).map((p) => p.text ?? '').join('')}`).join('\n\n');

/** Gemini through @google/genai: JSON output with a response schema, every reply validated with zod. */
export function createGeminiProvider(opts: GeminiOptions): LlmProvider {
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const random = opts.random ?? Math.random;
    const now = opts.now ?? Date.now;
    const schema = analysisJsonSchema();
    let client: Promise<GoogleGenAI> | undefined;

    // The SDK ships as ESM; a dynamic import keeps this CommonJS project happy.
    const ai = () =>
        (client ??= import('@google/genai').then(
            (m) =>
                new m.GoogleGenAI({
                    apiKey: opts.apiKey,
                    httpOptions: { baseUrl: opts.baseUrl, timeout: opts.timeoutMs },
                }),
        ));

    async function call(contents: Content[], maxOutputTokens: number, log: CallLog): Promise<Outcome> {
        const at = new Date(now()).toISOString();
        const exchange = { provider: 'gemini' as const, model: opts.model, at, prompt: transcript(contents) };
        let out: Outcome;
        try {
            const res = await (await ai()).models.generateContent({
                model: opts.model,
                contents,
                config: {
                    responseMimeType: 'application/json',
                    responseJsonSchema: schema,
                    temperature: 0.2,
                    maxOutputTokens,
                },
            });
            out = readResponse(res);
            // No text (a block, a cut-off): the archive keeps what the service said instead.
            const finishReason = res.candidates?.[0]?.finishReason;
            const reply = replyText(res) || JSON.stringify({ promptFeedback: res.promptFeedback, finishReason });
            log.record({ ...exchange, reply: redact(reply), outcome: out.kind, tokens: tokensOf(res) });
        } catch (err) {
            out = readError(err);
            const reason = 'reason' in out ? out.reason : out.kind;
            log.record({ ...exchange, reply: '', outcome: `${out.kind}: ${reason}` });
        }
        return out;
    }

    async function ask({ signal, details, classification }: FailureFacts, log: CallLog): Promise<ProviderAnswer> {
        const budget = opts.errorTextChars;
        let prompt = buildPrompt(signal, details, classification, { budget });
        let contents = [user(prompt)];
        let maxTokens = opts.maxOutputTokens ?? 2048;
        const left = { invalid: 1, truncated: 1, blocked: 1, unavailable: 2, rateLimited: 1 };
        const blocks: string[] = [];
        const fail = (note: string, extra: Partial<Extract<ProviderAnswer, { ok: false }>> = {}): ProviderAnswer => ({
            ok: false, note, unavailable: note.startsWith('unavailable'), ...extra,
        });
        for (;;) {
            const out = await call(contents, maxTokens, log);
            switch (out.kind) {
                case 'ok':
                    return { ok: true, analysis: out.analysis };
                case 'invalid':
                    if (left.invalid-- <= 0) return fail(`invalid output: ${out.problem}`);
                    contents = [
                        user(prompt),
                        modelTurn(out.reply.slice(0, MAX_REPLY_ECHO)),
                        user(correction(out.problem)),
                    ];
                    break;
                case 'max_tokens':
                    // A cut-off reply is never repaired into a decision: ask again with room to finish, once.
                    if (left.truncated-- <= 0) {
                        return fail(`invalid output: reply cut off at ${maxTokens} tokens (MAX_TOKENS)`);
                    }
                    maxTokens *= 4;
                    break;
                case 'blocked':
                    blocks.push(out.reason);
                    if (left.blocked-- <= 0) return fail(`blocked: ${blocks.join(', then ')}`);
                    prompt = buildPrompt(signal, details, classification, { minimal: true, budget });
                    contents = [user(prompt)];
                    break;
                case 'timeout':
                    return fail(`unavailable (timeout): no answer within ${opts.timeoutMs} ms`);
                case 'network':
                    if (left.unavailable <= 0) return fail(`unavailable (service): ${out.reason}`);
                    await sleep(backoff(2 - left.unavailable--));
                    break;
                case 'http': {
                    const { status, reason } = out;
                    if (status === 429) {
                        if (out.daily) {
                            const reset = nextQuotaReset(now());
                            const until = new Date(reset).toISOString();
                            const note = `unavailable (quota): per-day quota exhausted, no call before ${until}: ${reason}`;
                            return fail(note, { pauseUntil: reset });
                        }
                        const wait = out.retryDelayMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
                        if (wait > MAX_RATE_LIMIT_WAIT_MS) {
                            return fail(`unavailable (rate limited): ${reason}`, { pauseUntil: now() + wait });
                        }
                        if (left.rateLimited-- <= 0) return fail(`unavailable (rate limited): ${reason}`);
                        await sleep(wait);
                    } else if (status >= 500) {
                        if (left.unavailable <= 0) return fail(`unavailable (service): ${reason}`);
                        await sleep(backoff(2 - left.unavailable--));
                    } else {
                        return fail(`unavailable (LLM config): ${reason}`, { configError: true });
                    }
                    break;
                }
            }
        }
    }

    /** Exponential with jitter: ~1 s, then ~2 s. */
    const backoff = (n: number) => 1000 * 2 ** n + Math.floor(random() * 500);

    return {
        name: 'gemini',
        model: opts.model,
        async ask(facts, log) {
            try {
                return await ask(facts, log);
            } catch (err) {
                const name = err instanceof Error ? err.name : 'error';
                return { ok: false, note: `unavailable (internal): ${name}`, unavailable: true };
            }
        },
    };
}
