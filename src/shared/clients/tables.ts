import { RestError, type TableClient } from '@azure/data-tables';

/** Creates each table once per process; "already exists" is success. */
export function ensureTable(client: TableClient): () => Promise<TableClient> {
    let ready: Promise<TableClient> | undefined;
    return () => {
        ready ??= client.createTable().then(
            () => client,
            (e: unknown) => {
                ready = undefined;
                throw e;
            },
        );
        return ready;
    };
}

export function statusOf(e: unknown): number | undefined {
    return e instanceof RestError ? e.statusCode : (e as { statusCode?: number } | undefined)?.statusCode;
}

/** Storage could not be reached or answered 5xx/408/429/503: the caller should answer 503, not 500. */
export function isStorageUnavailable(e: unknown): boolean {
    const status = statusOf(e);
    if (status === undefined) {
        const code = (e as { code?: string } | undefined)?.code ?? '';
        return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|REQUEST_SEND_ERROR|UND_ERR/.test(code) || e instanceof RestError;
    }
    return status === 408 || status === 429 || status >= 500;
}

/** Table keys may not contain / \ # ? or control characters: encode anything outside a safe set. */
export function safeKey(value: string): string {
    return encodeURIComponent(value).replace(/%/g, '_');
}

/** Stores nested values as JSON strings; reads them back. */
export function toEntityValue(value: unknown): unknown {
    if (value === undefined) return undefined;
    if (value === null) return undefined;
    if (typeof value === 'object') return JSON.stringify(value);
    return value;
}
