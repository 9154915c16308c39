import { createHash } from 'node:crypto';

import type { Classification, FailureDetails, FailureSignal } from '../domain';
import { redact } from './redact';

const MAX_ERRORS = 5;
const MAX_TEXT = 2000;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Order matters: timestamps before paths (3/14/2025), ids and paths before bare numbers.
const RULES: ReadonlyArray<[RegExp, string]> = [
    [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/gi, '<time>'],
    [/\b\d{1,2}\/\d{1,2}\/\d{4}(?:,? \d{1,2}:\d{2}(?::\d{2})?(?: ?[AP]M)?)?/gi, '<time>'],
    [/\b\d{4}-\d{2}-\d{2}\b/g, '<time>'],
    [/\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g, '<time>'],
    [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
    [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b/gi, '<id>'],
    // URLs keep their host (which service failed), not their path or query.
    [/\b[a-z][a-z0-9+.-]*:\/\/([^/\s'"<>?#]+)[^\s'"<>]*/gi, '<url $1>'],
    [/(?:\b[a-z]:)?(?:[\\/]?[\w.$@%+=~-]+)?(?:[\\/][\w.$@%+=~-]+)+[\\/]?/gi, '<path>'],
    [/\b\d+(?:\.\d+)?\b/g, '<n>'],
];

/** The error text with what differs between occurrences of the same failure (ids, times, paths, numbers) removed. */
export function normaliseErrorText(text: string, names: readonly string[] = []): string {
    let out = redact(text);
    for (const name of names.filter((n) => n.length >= 3)) out = out.replace(new RegExp(escape(name), 'gi'), '<name>');
    for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
    return out.replace(/\s+/g, ' ').trim().toLowerCase().slice(0, MAX_TEXT);
}

/**
 * The failure's signature: what the model is asked about, minus what varies between pipelines and runs.
 * The same error in 200 pipelines has one signature, so it costs one model call per cache lifetime.
 */
export function errorSignature(
    signal: FailureSignal,
    details: FailureDetails,
    c: Classification,
): { hash: string; text: string } {
    const names = [signal.pipeline, signal.databricks?.jobName ?? '', ...details.errors.map((e) => e.name)];
    const lines = [
        `${signal.source}|${c.errorClass}|${c.ruleId}|${String(c.retryable)}|${c.errorCode ?? ''}`,
        ...details.errors
            .slice(0, MAX_ERRORS)
            .map((e) =>
                [e.scope, e.type, e.code, e.failureType, e.terminationType, normaliseErrorText(e.message, names)]
                    .map((v) => v ?? '')
                    .join('|'),
            ),
        `run|${normaliseErrorText(details.runMessage ?? '', names)}`,
    ];
    const text = lines.join('\n');
    return { hash: createHash('sha256').update(text).digest('hex').slice(0, 40), text };
}
