import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { z } from 'zod';
import {
    durationMs,
    HttpRequestSchema,
    ScenarioSchema,
    type CaseStep,
    type LoadedCase,
    type MockSelector,
} from './case-schema';
import { splitUrl, workspaceIdOfHost } from './routing';
import type { CaseMock } from './types';

export class CaseFileError extends Error {}

function describeIssues(file: string, issues: readonly z.core.$ZodIssue[], prefix: (string | number)[] = []): string {
    const lines = issues.map((i) => `${[...prefix, ...i.path].map(String).join('.') || '(root)'}: ${i.message}`);
    return `${file}: invalid case file: ${lines.join('; ')}`;
}

/** Reads a case file: a plain alert body becomes one http step POSTing it at PT0S with no mocks. */
export function loadCase(file: string): LoadedCase {
    const name = basename(file);
    let json: unknown;
    try {
        json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
        throw new CaseFileError(`${name}: cannot read case file: ${(err as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new CaseFileError(`${name}: a case file must hold a JSON object`);
    }
    if (!('kind' in json)) {
        const request = {
            method: 'POST',
            path: '/api/alerts/azure-monitor',
            headers: { 'Content-Type': 'application/json; charset=utf-8' },
            body: json,
        };
        return {
            name,
            kind: 'plain',
            config: {},
            steps: [{ at: 'PT0S', atMs: 0, action: 'http', request }],
            mocks: [],
            variant: null,
        };
    }
    const parsed = ScenarioSchema.safeParse(json);
    if (!parsed.success) throw new CaseFileError(describeIssues(name, parsed.error.issues));
    const scenario = parsed.data;
    const steps = scenario.steps.map((step, index): CaseStep => {
        const atMs = durationMs(step.at);
        if (step.action !== 'http') return { ...step, atMs };
        const request = HttpRequestSchema.safeParse(step.request);
        if (!request.success)
            throw new CaseFileError(describeIssues(name, request.error.issues, ['steps', index, 'request']));
        const note = typeof step.note === 'string' ? step.note : undefined;
        return { at: step.at, atMs, action: 'http', ...(note !== undefined && { note }), request: request.data };
    });
    return {
        name,
        kind: 'scenario',
        ...(scenario.description !== undefined && { description: scenario.description }),
        config: scenario.config,
        steps,
        mocks: scenario.mocks as CaseMock[],
        variant: null,
    };
}

function selects(selector: MockSelector, mock: CaseMock): boolean {
    if (mock.service !== selector.service) return false;
    if (selector.method && mock.method?.toUpperCase() !== selector.method.toUpperCase()) return false;
    return !selector.urlContains || (mock.url ?? '').includes(selector.urlContains);
}

function withStatus(body: unknown, status: string): unknown {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { status };
    return { ...body, status };
}

/** The case as its named variant describes it: one mock's behaviour replaced, maybe more watchers. */
export function applyVariant(loaded: LoadedCase, variantName: string): LoadedCase {
    const variants = loaded.config.variants ?? [];
    const variant = variants.find((v) => v.name === variantName);
    if (!variant) {
        const known = variants.map((v) => v.name).join(', ') || '(none)';
        throw new CaseFileError(`${loaded.name}: unknown variant "${variantName}"; known variants: ${known}`);
    }
    const targets = loaded.mocks.filter((m) => selects(variant.replaceMock, m));
    if (targets.length !== 1) {
        throw new CaseFileError(
            `${loaded.name}: variant "${variantName}" replaceMock selects ${targets.length} mocks; ` +
                'it must select exactly one',
        );
    }
    const target = targets[0]!;
    const responses =
        variant.responses ??
        (variant.statusSequence ?? []).map((status, i) => {
            const template = target.responses[Math.min(i, target.responses.length - 1)];
            return {
                status: 200,
                ...(template?.headers && { headers: template.headers }),
                body: withStatus(template?.body, status),
            };
        });
    const watchers: CaseMock[] = (variant.alsoMustNotBeCalled ?? []).map((s) => ({
        service: s.service,
        ...(s.method !== undefined && { method: s.method }),
        ...(s.urlContains !== undefined && { urlContains: s.urlContains }),
        responses: [],
        mustNotBeCalled: true,
    }));
    const mocks = loaded.mocks.map((m) => (m === target ? { ...m, responses } : m));
    return { ...loaded, mocks: [...mocks, ...watchers], variant: variant.name };
}

/** `{ workspaceId: host }` for every Databricks workspace host (`adb-<id>.<n>.azuredatabricks.net`) in the mocks. */
export function workspacesFromMocks(mocks: readonly CaseMock[]): Record<string, string> {
    const found: Record<string, string> = {};
    for (const mock of mocks) {
        if (!mock.url) continue;
        const host = splitUrl(mock.url).host;
        const id = workspaceIdOfHost(host);
        if (id) found[id] ??= host;
    }
    return found;
}
