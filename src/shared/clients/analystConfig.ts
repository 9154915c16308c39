import type { TableClient } from '@azure/data-tables';

import type { Config } from '../config';
import type { RcaModel } from '../ports';
import { rulesAnalysis } from '../rulesAnalysis';
import { AnalysisCache } from './analysisCache';
import { createAnalyst } from './analyst';
import { createGeminiProvider } from './gemini';
import type { LlmProvider } from './llm';
import { createOllamaProvider } from './ollama';

/** Gemini when a key is set, then the local Ollama-compatible model when its URL is set, then the rules. */
export function configuredAnalyst(config: Config, cacheTable: TableClient, log?: (message: string) => void): RcaModel {
    const providers: LlmProvider[] = [];
    if (config.GEMINI_API_KEY) {
        providers.push(
            createGeminiProvider({
                apiKey: config.GEMINI_API_KEY,
                model: config.GEMINI_MODEL,
                baseUrl: config.GEMINI_BASE_URL,
                timeoutMs: config.GEMINI_TIMEOUT_MS,
                errorTextChars: config.LLM_ERROR_TEXT_CHARS,
            }),
        );
    }
    if (config.OLLAMA_URL) {
        providers.push(
            createOllamaProvider({
                url: config.OLLAMA_URL,
                model: config.OLLAMA_MODEL,
                timeoutMs: config.OLLAMA_TIMEOUT_MS,
                errorTextChars: config.LLM_ERROR_TEXT_CHARS,
            }),
        );
    }
    return createAnalyst({
        providers,
        cache: new AnalysisCache(cacheTable, config.ANALYSIS_CACHE_TTL_MINUTES),
        fallback: ({ details, classification }) => rulesAnalysis(classification, details),
        log,
    });
}
