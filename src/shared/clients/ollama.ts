import { z } from 'zod';

import { analysisJsonSchema, buildPrompt } from './geminiPrompt';
import { parseAnalysis } from './geminiReply';
import { CallLog, correction, type FailureFacts, type LlmProvider, type ProviderAnswer } from './llm';
import { redact } from './redact';

export interface OllamaOptions {
    /** Base URL of an Ollama-compatible server (`/api/chat`). */
    url: string;
    model: string;
    timeoutMs: number;
    errorTextChars?: number;
    /** Output token limit of the first call (default 2048); a `length` answer is retried once with 4×. */
    maxOutputTokens?: number;
    fetch?: typeof fetch;
    now?: () => number;
}

const ChatReply = z.object({
    message: z.object({ content: z.string() }).optional(),
    done_reason: z.string().optional(),
    prompt_eval_count: z.number().optional(),
    eval_count: z.number().optional(),
    error: z.string().optional(),
});

interface Message {
    role: 'user' | 'assistant';
    content: string;
}

type Reply = { kind: 'answer'; text: string; done: string } | { kind: 'error'; status: number; reason: string };

/** A local model behind Ollama's chat API, for teams that cannot send error text to Google. */
export function createOllamaProvider(opts: OllamaOptions): LlmProvider {
    const doFetch = opts.fetch ?? fetch;
    const now = opts.now ?? Date.now;
    const schema = analysisJsonSchema();
    const endpoint = `${opts.url.replace(/\/+$/, '')}/api/chat`;

    async function call(messages: Message[], numPredict: number, log: CallLog): Promise<Reply> {
        const exchange = {
            provider: 'ollama' as const,
            model: opts.model,
            at: new Date(now()).toISOString(),
            prompt: messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n'),
        };
        try {
            const res = await doFetch(endpoint, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                    model: opts.model,
                    messages,
                    stream: false,
                    format: schema,
                    options: { temperature: 0.2, num_predict: numPredict },
                }),
                signal: AbortSignal.timeout(opts.timeoutMs),
            });
            const text = await res.text();
            const body = ChatReply.safeParse(safeJson(text));
            const reply = body.success ? body.data : {};
            const tokens = { prompt: reply.prompt_eval_count ?? 0, output: reply.eval_count ?? 0, total: 0 };
            tokens.total = tokens.prompt + tokens.output;
            const content = reply.message?.content ?? '';
            const raw = redact(content || text.slice(0, 2000));
            log.record({ ...exchange, reply: raw, outcome: String(res.status), tokens });
            if (!res.ok) {
                const reason = redact(`${res.status}: ${reply.error ?? text.slice(0, 300)}`);
                return { kind: 'error', status: res.status, reason };
            }
            return { kind: 'answer', text: content, done: reply.done_reason ?? 'stop' };
        } catch (err) {
            const name = err instanceof Error ? err.name : 'error';
            const reason =
                name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : `${name} (server unreachable)`;
            log.record({ ...exchange, reply: '', outcome: reason });
            return { kind: 'error', status: 0, reason };
        }
    }

    async function ask({ signal, details, classification }: FailureFacts, log: CallLog): Promise<ProviderAnswer> {
        const prompt = buildPrompt(signal, details, classification, { budget: opts.errorTextChars });
        let messages: Message[] = [{ role: 'user', content: prompt }];
        let numPredict = opts.maxOutputTokens ?? 2048;
        const left = { invalid: 1, truncated: 1 };
        for (;;) {
            const reply = await call(messages, numPredict, log);
            if (reply.kind === 'error') {
                // 4xx: wrong model name or request; anything else: the server is not there or not well.
                const config = reply.status >= 400 && reply.status < 500;
                const note = `unavailable (${config ? 'LLM config' : 'service'}): ${reply.reason}`;
                return { ok: false, note, unavailable: true, configError: config };
            }
            if (reply.done === 'length') {
                if (left.truncated-- <= 0) {
                    const note = `invalid output: reply cut off at ${numPredict} tokens`;
                    return { ok: false, note, unavailable: false };
                }
                numPredict *= 4;
                continue;
            }
            const out = parseAnalysis(reply.text);
            if (out.kind === 'ok') return { ok: true, analysis: out.analysis };
            const problem = out.kind === 'invalid' ? out.problem : out.kind;
            if (left.invalid-- <= 0) return { ok: false, note: `invalid output: ${problem}`, unavailable: false };
            messages = [
                { role: 'user', content: prompt },
                { role: 'assistant', content: reply.text.slice(0, 2000) },
                { role: 'user', content: correction(problem) },
            ];
        }
    }

    return { name: 'ollama', model: opts.model, ask };
}

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}
