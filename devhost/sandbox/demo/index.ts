import type { ServiceCall } from '../server';
import { DEFAULT_ANALYSIS, geminiModelOf, geminiTextResponse, googleError } from '../responses';
import type { Answer, Sandbox } from '../types';
import { AdfDemo } from './adf';
import { PIPELINES } from './adf-model';
import { failureNotificationFor, logAlertFor } from './alerts';
import { DatabricksDemo } from './databricks';
import { JOBS } from './dbx-model';
import { seedDemo } from './seed';
import { restoreDemo, snapshotDemo } from './snapshot';
import { demoStateWriter, loadDemoState, writeFileAtomic } from './store';

export {
    DEMO_FACTORY_ID,
    DEMO_WORKSPACE_HOST,
    DEMO_WORKSPACE_ID,
    DEMO_WORKSPACES,
    SAMPLE_FACTORY_ID,
    SAMPLE_WORKSPACE_HOST,
    SAMPLE_WORKSPACE_ID,
} from './constants';
export { SAMPLE_ADF_PIPELINE, SAMPLE_ADF_RUN_ID, SAMPLE_DBX_JOB, SAMPLE_DBX_RUN_ID } from './seed';

export interface Demo {
    adf: AdfDemo;
    databricks: DatabricksDemo;
    handle(call: ServiceCall): Answer;
    control(method: string, path: string, sandbox: Sandbox): Answer | undefined;
}

const unknown = (what: string, name: string, known: string[]): Answer => ({
    status: 404,
    body: { error: `unknown ${what} "${name}"; known: ${known.join(', ')}` },
});

/**
 * The demo world kept in `stateFile` (when given): loaded at start, and rewritten before each answer that changed
 * it, so a process killed right after an answer still has what that answer reported. Without a usable saved state
 * the world starts with the sample alerts' failed runs, and is saved at once so a restart keeps them as they were.
 */
export function createDemo(clock: () => number, stateFile?: string): Demo {
    const world = createWorld(clock);
    const saved = stateFile ? loadDemoState(stateFile) : undefined;
    if (saved) restoreDemo(world.adf, world.databricks, saved);
    else seedDemo(world.adf, world.databricks, clock());
    if (!stateFile) return world;
    const initial = snapshotDemo(world.adf, world.databricks);
    if (!saved) writeFileAtomic(stateFile, JSON.stringify(initial));
    const save = demoStateWriter(stateFile, initial);
    const persisted = <T>(answer: T): T => {
        save(snapshotDemo(world.adf, world.databricks));
        return answer;
    };
    return {
        ...world,
        handle: (call) => persisted(world.handle(call)),
        control: (method, path, sandbox) => persisted(world.control(method, path, sandbox)),
    };
}

/** The stateful demo world: two factories, two Databricks workspaces, and the `/sandbox/` control endpoints. */
function createWorld(clock: () => number): Demo {
    const adf = new AdfDemo(clock);
    const databricks = new DatabricksDemo(clock);
    return {
        adf,
        databricks,
        handle(call) {
            if (call.route.service === 'adf') return adf.handle(call);
            if (call.route.service === 'databricks') return databricks.handle(call);
            const model = geminiModelOf(call.route.path);
            if (call.method !== 'POST' || !model)
                return googleError(404, `No route for ${call.method} ${call.route.path}.`);
            return geminiTextResponse(model, DEFAULT_ANALYSIS);
        },
        control(method, path, sandbox) {
            if (method === 'GET' && path === '/sandbox/calls') return { status: 200, body: sandbox.calls };
            const adfFail = /^\/sandbox\/adf\/fail\/([^/]+)$/.exec(path);
            if (method === 'POST' && adfFail?.[1]) {
                const name = decodeURIComponent(adfFail[1]);
                const pipeline = PIPELINES[name];
                if (!pipeline) return unknown('pipeline', name, Object.keys(PIPELINES));
                const run = adf.createFailedRun(name);
                const failureType = pipeline.error(pipeline.failing, run.createdMs).failureType;
                return { status: 200, body: { runId: run.runId, alert: logAlertFor(run, failureType, clock()) } };
            }
            const dbxFail = /^\/sandbox\/databricks\/fail\/([^/]+)$/.exec(path);
            if (method === 'POST' && dbxFail?.[1]) {
                const name = decodeURIComponent(dbxFail[1]);
                const job = JOBS[name];
                if (!job) return unknown('job', name, Object.keys(JOBS));
                const run = databricks.createRun(job, clock() - 20_000, 'PERIODIC');
                return { status: 200, body: { runId: String(run.runId), notification: failureNotificationFor(run) } };
            }
            return undefined;
        },
    };
}
