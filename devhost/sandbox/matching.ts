import { decodeSegment, splitUrl } from './routing';
import type { CaseMock, Service } from './types';

export interface CallForMatch {
    service: Service;
    method: string;
    host: string;
    path: string;
    query: URLSearchParams;
    canonicalUrl: string;
    body: unknown;
}

const segmentsOf = (path: string) =>
    path
        .split('/')
        .filter((s) => s !== '')
        .map(decodeSegment);

function placeholderPattern(segment: string): RegExp | null {
    if (!/\{[^}]+\}/.test(segment)) return null;
    const parts = segment.split(/\{[^}]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${parts.join('[^/]+')}$`);
}

/** ARM is case-insensitive on resource types and the provider namespace; names compare exactly. */
function armCaseInsensitive(index: number, segments: string[]): boolean {
    return index % 2 === 0 || segments[index - 1]?.toLowerCase() === 'providers';
}

function normaliseDatabricks(path: string): string {
    return path.replace(/^\/api\/2\.[12]\//, '/api/2.2/');
}

export function pathMatches(service: Service, mockPath: string, callPath: string): boolean {
    const norm = service === 'databricks' ? normaliseDatabricks : (p: string) => p;
    const want = segmentsOf(norm(mockPath));
    const got = segmentsOf(norm(callPath));
    if (want.length !== got.length) return false;
    return want.every((w, i) => {
        const g = got[i] ?? '';
        const pattern = placeholderPattern(w);
        if (pattern) return pattern.test(g);
        if (service === 'adf' && armCaseInsensitive(i, want)) return w.toLowerCase() === g.toLowerCase();
        return w === g;
    });
}

export function queryMatches(want: URLSearchParams, got: URLSearchParams): boolean {
    for (const [key, value] of want) {
        if (!got.getAll(key).includes(value)) return false;
    }
    return true;
}

function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function bodyMatches(matchBody: Record<string, unknown>, body: unknown): boolean {
    const obj =
        typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    return Object.entries(matchBody).every(([key, want]) =>
        want === '$absent' ? !(key in obj) : key in obj && deepEqual(obj[key], want),
    );
}

/** Whether the mock applies to the call (method, service, host, path, query, body, urlContains). */
export function mockMatches(mock: CaseMock, call: CallForMatch): boolean {
    if (mock.service !== call.service) return false;
    if (mock.method && mock.method.toUpperCase() !== call.method.toUpperCase()) return false;
    if (mock.urlContains && !call.canonicalUrl.includes(mock.urlContains)) return false;
    if (mock.url) {
        const want = splitUrl(mock.url);
        if (call.service === 'databricks' && want.host !== call.host.toLowerCase()) return false;
        if (!pathMatches(call.service, want.path, call.path)) return false;
        if (!queryMatches(want.query, call.query)) return false;
    }
    return !mock.matchBody || bodyMatches(mock.matchBody, call.body);
}

function specificity(mock: CaseMock): number {
    const params = mock.url ? [...splitUrl(mock.url).query.keys()].length : 0;
    return (mock.matchBody ? 1000 : 0) + params;
}

/** The mock that answers the call: matchBody satisfied first, then most query parameters, then file order. */
export function selectMock(mocks: readonly CaseMock[], call: CallForMatch): CaseMock | undefined {
    let best: CaseMock | undefined;
    for (const mock of mocks) {
        if (mock.responses.length === 0 || !mockMatches(mock, call)) continue;
        if (!best || specificity(mock) > specificity(best)) best = mock;
    }
    return best;
}
