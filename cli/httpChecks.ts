import type { Config } from '../src/shared/config';
import { type Check, type ProbeOptions, pass, skip } from './check';

/** Gemini (and a local Ollama) answer plain HTTP with their own auth; read-only calls. */
export function modelChecks(config: Config, opts: ProbeOptions): Check[] {
    const doFetch = opts.fetch ?? fetch;
    const get = async (url: string, headers: Record<string, string>, signal: AbortSignal) => {
        const res = await doFetch(url, { headers, signal });
        const text = await res.text();
        if (!res.ok) throw new Error(`${new URL(url).host} → ${res.status}: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
        return text;
    };
    const gemini: Check = {
        name: 'gemini',
        async run(signal) {
            if (!config.GEMINI_API_KEY) return skip('not configured (GEMINI_API_KEY): analysis by the rules');
            const base = (config.GEMINI_BASE_URL ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '');
            await get(`${base}/v1beta/models/${encodeURIComponent(config.GEMINI_MODEL)}`, { 'x-goog-api-key': config.GEMINI_API_KEY }, signal);
            return pass(`key accepted; model ${config.GEMINI_MODEL} available`);
        },
    };
    if (!config.OLLAMA_URL) return [gemini];
    const ollamaUrl = config.OLLAMA_URL.replace(/\/+$/, '');
    const ollama: Check = {
        name: 'ollama',
        async run(signal) {
            const tags = JSON.parse(await get(`${ollamaUrl}/api/tags`, {}, signal)) as { models?: { name?: string }[] };
            const has = (tags.models ?? []).some((m) => m.name === config.OLLAMA_MODEL);
            return has ? pass(`model ${config.OLLAMA_MODEL} served`) : { status: 'fail', detail: `reachable, but model ${config.OLLAMA_MODEL} is not pulled` };
        },
    };
    return [gemini, ollama];
}

export function appCheck(config: Config, opts: ProbeOptions): Check[] {
    if (!config.PUBLIC_BASE_URL) return [];
    const url = `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/api/health`;
    return [{
        name: 'app',
        async run(signal) {
            const res = await (opts.fetch ?? fetch)(url, { signal });
            if (!res.ok) return { status: 'fail', detail: `${url} → ${res.status}` };
            return pass(`${url} answered ${res.status}`);
        },
    }];
}
