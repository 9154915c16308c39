import type { GenerateContentResponse } from '@google/genai' with { 'resolution-mode': 'import' };
import { AnalysisSchema, type Analysis } from '../domain';
import { redact } from './redact';

export type Outcome =
    | { kind: 'ok'; analysis: Analysis }
    | { kind: 'invalid'; reply: string; problem: string }
    | { kind: 'max_tokens' }
    | { kind: 'blocked'; reason: string }
    | { kind: 'http'; status: number; reason: string; retryDelayMs?: number; daily: boolean }
    | { kind: 'timeout' }
    | { kind: 'network'; reason: string };

const BLOCKED_FINISH = new Set(['SAFETY', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION', 'IMAGE_SAFETY']);
const FENCE = /^```[a-zA-Z]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

/** Removes one Markdown code fence wrapping the whole reply; anything else is left for JSON.parse to judge. */
export function stripFence(text: string): string {
    const trimmed = text.trim();
    const m = FENCE.exec(trimmed);
    return m?.[1] !== undefined && !m[1].includes('```') ? m[1] : trimmed;
}

export function parseAnalysis(text: string): Outcome {
    let value: unknown;
    try {
        value = JSON.parse(stripFence(text));
    } catch {
        return { kind: 'invalid', reply: text, problem: 'the reply is not a single JSON object' };
    }
    const parsed = AnalysisSchema.safeParse(value);
    if (parsed.success) return { kind: 'ok', analysis: parsed.data };
    const problem = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
    return { kind: 'invalid', reply: text, problem };
}

/** The reply's text parts (thoughts left out), as the model wrote them. */
export function replyText(res: GenerateContentResponse): string {
    return (res.candidates?.[0]?.content?.parts ?? [])
        .filter((p) => typeof p.text === 'string' && !p.thought)
        .map((p) => p.text)
        .join('');
}

/** usageMetadata as token counts (thinking tokens count as output: they are billed as such). */
export function tokensOf(res: GenerateContentResponse): { prompt: number; output: number; total: number } {
    const u = res.usageMetadata ?? {};
    const prompt = u.promptTokenCount ?? 0;
    const output = (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0);
    return { prompt, output, total: u.totalTokenCount ?? prompt + output };
}

const PACIFIC = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles',
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
});

function pacificSecondsOfDay(ms: number): number {
    const part = (type: string) => Number(PACIFIC.formatToParts(ms).find((p) => p.type === type)?.value ?? 0);
    return part('hour') * 3600 + part('minute') * 60 + part('second');
}

/** Gemini's per-day quotas reset at midnight Pacific time: the first whole second of the next Pacific day. */
export function nextQuotaReset(nowMs: number): number {
    const now = Math.floor(nowMs / 1000) * 1000;
    let reset = now + (86_400 - pacificSecondsOfDay(now)) * 1000;
    const off = pacificSecondsOfDay(reset);
    // A daylight-saving change makes that day 23 or 25 hours long.
    if (off >= 12 * 3600) reset += (86_400 - off) * 1000;
    else reset -= off * 1000;
    return reset;
}

export function readResponse(res: GenerateContentResponse): Outcome {
    const blockReason = res.promptFeedback?.blockReason;
    if (blockReason) return { kind: 'blocked', reason: `prompt blocked (${String(blockReason)})` };
    const candidate = res.candidates?.[0];
    const finish = candidate?.finishReason ? String(candidate.finishReason) : undefined;
    if (finish && BLOCKED_FINISH.has(finish)) return { kind: 'blocked', reason: `answer blocked (${finish})` };
    if (finish === 'MAX_TOKENS') return { kind: 'max_tokens' };
    const text = replyText(res);
    if (!text.trim()) return { kind: 'invalid', reply: '', problem: `empty reply (finishReason ${finish ?? 'none'})` };
    return parseAnalysis(text);
}

interface ErrorBody {
    error?: { code?: number; status?: string; message?: string; details?: Array<Record<string, unknown>> };
}

/** "26.418374012s" → 26419 ms. */
export function parseDuration(value: unknown): number | undefined {
    if (typeof value !== 'string') return undefined;
    const m = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
    return m?.[1] ? Math.ceil(Number(m[1]) * 1000) : undefined;
}

function describeApiError(status: number, body: ErrorBody): Outcome {
    const e = body.error ?? {};
    const details = e.details ?? [];
    const ofType = (t: string) => details.filter((d) => (typeof d['@type'] === 'string' ? d['@type'] : '').endsWith(t));
    const retryDelayMs = parseDuration(ofType('google.rpc.RetryInfo')[0]?.retryDelay);
    const quotaIds = ofType('google.rpc.QuotaFailure').flatMap((d) =>
        Array.isArray(d.violations) ? d.violations.map((v: { quotaId?: unknown }) => (typeof v.quotaId === 'string' ? v.quotaId : '')) : [],
    );
    const fields = ofType('google.rpc.BadRequest').flatMap((d) =>
        Array.isArray(d.fieldViolations)
            ? d.fieldViolations.map((v: { field?: unknown }) => (typeof v.field === 'string' ? v.field : ''))
            : [],
    );
    const parts = [`${status}${e.status ? ` ${e.status}` : ''}`];
    if (e.message) parts.push(e.message.slice(0, 300));
    if (fields.length) parts.push(`fields: ${fields.join(', ')}`);
    return {
        kind: 'http',
        status,
        reason: redact(parts.join(': ')),
        retryDelayMs,
        daily: quotaIds.some((id) => /per ?day/i.test(id)),
    };
}

export function readError(err: unknown): Outcome {
    const name = typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : '';
    // The SDK's ApiError carries the HTTP status and the JSON error body as its message.
    if (name === 'ApiError' && typeof (err as { status?: unknown }).status === 'number') {
        const { status, message } = err as { status: number; message: string };
        let body: ErrorBody;
        try {
            body = JSON.parse(message) as ErrorBody;
        } catch {
            body = { error: { message } };
        }
        return describeApiError(status, body);
    }
    if (name === 'AbortError' || name === 'TimeoutError') return { kind: 'timeout' };
    return { kind: 'network', reason: name || 'request failed' };
}
