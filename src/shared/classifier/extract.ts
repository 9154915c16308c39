import type { ExtractorName } from './types';

type Facts = Record<string, string>;

function blobPath(message: string, out: Facts): void {
    const both = /ContainerName:\s*([^,\s]+)\s*,\s*path:\s*([^,'\s]+?)\.?(?=[,'\s]|$)/i.exec(message);
    if (both?.[1] && both[2]) {
        out.container = both[1];
        out.path = both[2];
        return;
    }
    const path = /\bpath:\s*'?([^,'\s]+?)'?\.?(?=[,'\s]|$)/i.exec(message)?.[1];
    if (path) out.path = path;
    const container = /\bcontainer(?:Name)?:?\s*'([^']+)'/i.exec(message)?.[1];
    if (container) out.container = container;
}

function integrationRuntime(message: string, out: Facts): void {
    const name =
        /integration runtime\s+'([^']+)'/i.exec(message)?.[1] ??
        /integration runtime\s+([\w-]+)\s+is\s/i.exec(message)?.[1];
    if (name) out.integrationRuntime = name;
}

function packageName(message: string, out: Facts): void {
    const name =
        /package:\s*"([^"]+)"/i.exec(message)?.[1] ??
        /coordinates:\s*"([^"]+)"/i.exec(message)?.[1] ??
        /No matching distribution found for (\S+)/i.exec(message)?.[1];
    if (name) out.package = name;
}

function endpoint(message: string, out: Facts): void {
    const raw = /endpoint\s+'([^']+)'/i.exec(message)?.[1];
    if (raw) {
        try {
            const url = new URL(raw);
            // Query strings may carry keys or SAS signatures: keep only origin and path.
            out.endpoint = url.origin + url.pathname;
            out.host = url.host;
        } catch {
            // not a URL ("Invalid Url" cases): nothing safe to keep
        }
    }
    const status = /status code:?\s*'([^']+)'/i.exec(message)?.[1];
    if (status) out.statusCode = status;
}

/** "blocked ... until: 3/23/2025 2:41:00 AM (UTC)" or an ISO time → `blockedUntil` as ISO (UTC). */
function blockedUntil(message: string, out: Facts): void {
    const text = /blocked[^.]*?until:?\s*([0-9][^"',)]*?(?:AM|PM)?)\s*(?:\(UTC\)|UTC|Z)?(?=["',)]|\s*$|\.\s)/i.exec(message)?.[1];
    if (!text) return;
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?$/i.exec(text.trim());
    let ms: number;
    if (us) {
        const [, mo, d, y, h, mi, s, ampm] = us;
        let hour = Number(h) % 12;
        if (!ampm || ampm.toUpperCase() === 'PM') hour = ampm ? hour + 12 : Number(h);
        ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi), Number(s ?? 0));
    } else {
        ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text.trim()) ? text.trim() : `${text.trim()}Z`);
    }
    if (Number.isFinite(ms)) out.blockedUntil = new Date(ms).toISOString();
}

const EXTRACTORS: Record<ExtractorName, (message: string, out: Facts) => void> = {
    blobPath,
    integrationRuntime,
    package: packageName,
    endpoint,
    blockedUntil,
};

export function extractFacts(names: readonly ExtractorName[], message: string): Facts {
    const out: Facts = {};
    for (const name of names) EXTRACTORS[name](message, out);
    if (/message truncated/i.test(message)) out.truncated = 'true';
    return out;
}

/** The connector code inside an ADF wrapper message: `... ErrorCode=UserErrorSourceBlobNotExists,'Type=...`. */
export function innerErrorCode(message: string): string | undefined {
    return /\bErrorCode=([A-Za-z][\w-]*)/.exec(message)?.[1];
}
