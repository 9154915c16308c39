import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CaseMock {
    service: string;
    method: string;
    url: string;
    responses: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>;
}

const DIR = join(__dirname, '../../../fixtures/cases');

interface CaseVariant {
    name: string;
    responses?: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>;
}

/** The replacement responses of a case variant. */
export function variantResponses(file: string, name: string) {
    const scenario = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { config: { variants: CaseVariant[] } };
    const variant = scenario.config.variants.find((v) => v.name === name);
    if (!variant?.responses) throw new Error(`${file}: no variant ${name} with responses`);
    return variant.responses;
}

/** The scripted responses of the first mock of a case file whose service, method and URL match. */
export function caseResponses(file: string, service: string, method: string, urlContains: string) {
    const scenario = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { mocks: CaseMock[] };
    const mock = scenario.mocks.find(
        (m) => m.service === service && m.method === method && m.url.includes(urlContains),
    );
    if (!mock) throw new Error(`${file}: no ${service} ${method} mock with ${urlContains}`);
    return mock.responses;
}
