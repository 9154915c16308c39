import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where a running devhost (`npm start`) tells other tools its URL and key; git-ignored, mode 0600. */
export const DEVHOST_ENDPOINTS_FILE = join(resolve(__dirname, '..'), '.devhost', 'endpoints.json');

export interface DevhostEndpoints {
    url: string;
    functionKey: string;
    sandbox?: string;
}

export function readDevhostEndpoints(file = DEVHOST_ENDPOINTS_FILE): DevhostEndpoints {
    let parsed: Partial<DevhostEndpoints>;
    try {
        parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevhostEndpoints>;
    } catch {
        throw new Error('no running devhost found: start it with `npm start` first');
    }
    if (typeof parsed.url !== 'string' || typeof parsed.functionKey !== 'string') {
        throw new Error(`${file} does not name a devhost URL and key: restart it with \`npm start\``);
    }
    return { url: parsed.url, functionKey: parsed.functionKey, ...(parsed.sandbox ? { sandbox: parsed.sandbox } : {}) };
}

/** The receiver for an alert body: Databricks notifications carry `event_type`, anything else is Azure Monitor's. */
export function alertPath(body: unknown): '/api/alerts/azure-monitor' | '/api/alerts/databricks' {
    let value = body;
    if (typeof body === 'string') {
        try {
            value = JSON.parse(body) as unknown;
        } catch {
            return '/api/alerts/azure-monitor';
        }
    }
    const isDatabricks = typeof value === 'object' && value !== null && typeof (value as { event_type?: unknown }).event_type === 'string';
    return isDatabricks ? '/api/alerts/databricks' : '/api/alerts/azure-monitor';
}
