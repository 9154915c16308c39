import type { Service } from './types';

export const ARM_HOST = 'management.azure.com';
export const GEMINI_HOST = 'generativelanguage.googleapis.com';

/** An incoming request mapped to the service it stands in for. */
export interface Route {
    service: Service;
    /** Host of the real service (the workspace host for Databricks). */
    host: string;
    /** Path as the real service would see it (no sandbox prefix), still percent-encoded. */
    path: string;
    query: URLSearchParams;
    /** The public URL the call stands for; Gemini's drops the query (it may carry the key). */
    canonicalUrl: string;
}

/**
 * `/arm/...` (or a bare `/subscriptions/...`) is ARM; `/dbx/<host>/...` is a Databricks workspace;
 * `/gemini/...` or a bare `/v1beta/...` is Gemini (@google/genai keeps the base URL's path prefix).
 */
export function routeRequest(rawUrl: string): Route | null {
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const search = q < 0 ? '' : rawUrl.slice(q);
    const query = new URLSearchParams(search);
    const arm = /^(?:\/arm)?(\/subscriptions\/.*)$/i.exec(rawPath);
    if (arm?.[1]) {
        return {
            service: 'adf',
            host: ARM_HOST,
            path: arm[1],
            query,
            canonicalUrl: `https://${ARM_HOST}${arm[1]}${search}`,
        };
    }
    const dbx = /^\/dbx\/([^/]+)(\/.*)$/.exec(rawPath);
    if (dbx?.[1] && dbx[2]) {
        const host = dbx[1].toLowerCase();
        return { service: 'databricks', host, path: dbx[2], query, canonicalUrl: `https://${host}${dbx[2]}${search}` };
    }
    const gem = /^(?:\/gemini)?(\/v1(?:beta|alpha)?\/.*)$/.exec(rawPath);
    if (gem?.[1]) {
        return {
            service: 'gemini',
            host: GEMINI_HOST,
            path: gem[1],
            query,
            canonicalUrl: `https://${GEMINI_HOST}${gem[1]}`,
        };
    }
    return null;
}

/** Splits an absolute URL written in a case file without re-encoding `{model}` placeholders. */
export function splitUrl(url: string): { host: string; path: string; query: URLSearchParams } {
    const m = /^https?:\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/.exec(url);
    if (!m?.[1]) throw new Error(`not an absolute URL: ${url}`);
    return { host: m[1].toLowerCase(), path: m[2] || '/', query: new URLSearchParams(m[3] ?? '') };
}

export function decodeSegment(segment: string): string {
    try {
        return decodeURIComponent(segment);
    } catch {
        return segment;
    }
}

/** The Databricks workspace id in a host like `adb-<id>.<n>.azuredatabricks.net`. */
export function workspaceIdOfHost(host: string): string | undefined {
    return /^adb-(\d+)\.\d+\.azuredatabricks\.net$/i.exec(host)?.[1];
}
