import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CASES_DIR = join(__dirname, '..', '..', '..', 'fixtures', 'cases');

export function caseText(name: string): string {
    return readFileSync(join(CASES_DIR, `${name}.json`), 'utf8');
}

export function caseJson(name: string): unknown {
    return JSON.parse(caseText(name)) as unknown;
}

interface Scenario {
    steps: { request?: { path?: string; body?: unknown; rawBody?: string } }[];
    mocks: { url: string; method: string; responses: { body?: unknown }[] }[];
}

export function scenario(name: string): Scenario {
    return caseJson(name) as Scenario;
}

/** The first scripted answer of the mock whose URL contains `fragment`. */
export function mockBody(name: string, fragment: string): unknown {
    const mock = scenario(name).mocks.find((m) => m.url.includes(fragment));
    if (!mock) throw new Error(`${name}: no mock for ${fragment}`);
    return mock.responses[0]?.body;
}
