import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CASES = join(ROOT, 'test', 'fixtures', 'cases');

export interface ReportTicket {
    id: string;
    source: string;
    status: string;
    dedupKey: string;
    pipeline: string;
    runId: string;
    attempts: number;
    rerunRunIds: string[];
    category: string | null;
    autoHeal: boolean;
    decisionReason: string | null;
    relatedAlerts: number;
    facts?: Record<string, string>;
    /** The ticket's audit timeline. */
    events?: { type: string; summary: string; at: string }[];
}

export interface ReportCall {
    service: string;
    method: string;
    url: string;
    body?: unknown;
    status: number;
    at: string;
}

export interface Report {
    scenario: string;
    variant: string | null;
    responses: { step: number; status: number; body: Record<string, unknown>; ms: number }[];
    tickets: ReportTicket[];
    calls: ReportCall[];
    violations: string[];
    orchestrations: { instanceId: string; runtimeStatus: string }[];
}

/** Runs the scenario CLI exactly as a person would (`npm run --silent scenario -- FILE`) and parses its report. */
export function runScenario(file: string, variant?: string): Report {
    const args = ['--import', 'tsx', join(ROOT, 'devhost', 'scenario.ts'), file, ...(variant ? ['--variant', variant] : [])];
    const out = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    if (out.status !== 0) throw new Error(`scenario runner exited ${out.status}: ${out.stderr}`);
    return JSON.parse(out.stdout) as Report;
}

/** Writes a derived scenario to a temp file (the case with one thing changed) and returns its path. */
export function derivedCase(name: string, scenario: unknown): string {
    const dir = mkdtempSync(join(tmpdir(), 'autoheal-case-'));
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(scenario));
    return file;
}

export const callsTo = (report: Report, method: string, pattern: RegExp) =>
    report.calls.filter((c) => c.method === method && pattern.test(c.url));
