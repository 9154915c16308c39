import { join } from 'node:path';
import { workspacesFromMocks } from './case-file';
import { createDemo, DEMO_WORKSPACES } from './demo';
import { DEMO_STATE_FILE } from './demo/store';
import { scriptHandler } from './script';
import { startServer } from './server';
import type { CaseMock, Sandbox } from './types';

export { applyVariant, CaseFileError, loadCase, workspacesFromMocks } from './case-file';
export { durationMs, isHttpStep } from './case-schema';
export type { CaseConfig, CaseStep, CaseVariant, HttpStep, LoadedCase, OtherStep } from './case-schema';
export type { Answer, CaseMock, Fault, MockResponse, RecordedCall, Sandbox, Service } from './types';

export type SandboxOptions =
    | { mode: 'script'; mocks: CaseMock[]; clock?: () => number; workspaces?: Record<string, string>; port?: number }
    | {
          mode: 'demo';
          clock?: () => number;
          port?: number;
          /** Keep the demo's state in `${dataDir}/sandbox-demo.json` so it survives a restart (even SIGKILL). */
          dataDir?: string;
      };

const hostOf = (value: string) =>
    value
        .replace(/^https?:\/\//, '')
        .replace(/\/.*$/, '')
        .toLowerCase();

/** The product's settings for pointing every outbound connector at the sandbox. */
function settingsFor(baseUrl: string, workspaces: Record<string, string>): Record<string, string> {
    return {
        ARM_ENDPOINT: `${baseUrl}/arm`,
        ARM_ACCESS_TOKEN: 'sandbox',
        DATABRICKS_WORKSPACES: Object.entries(workspaces)
            .map(([id, host]) => `${id}=${baseUrl}/dbx/${hostOf(host)}`)
            .join(','),
        DATABRICKS_TOKEN: 'sandbox',
        GEMINI_BASE_URL: `${baseUrl}/gemini`,
        GEMINI_API_KEY: 'sandbox',
    };
}

/** Starts the local stand-in for ARM (Data Factory), Databricks Jobs and Gemini on 127.0.0.1. */
export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
    const clock = opts.clock ?? Date.now;
    if (opts.mode === 'script') {
        const workspaces = opts.workspaces ?? workspacesFromMocks(opts.mocks);
        return startServer(
            { clock, handle: scriptHandler(opts.mocks), settings: (base) => settingsFor(base, workspaces) },
            opts.port,
        );
    }
    const demo = createDemo(clock, opts.dataDir ? join(opts.dataDir, DEMO_STATE_FILE) : undefined);
    return startServer(
        {
            clock,
            handle: (call) => demo.handle(call),
            control: (method, path, _body, sandbox) => demo.control(method, path, sandbox),
            settings: (base) => settingsFor(base, DEMO_WORKSPACES),
        },
        opts.port,
    );
}
