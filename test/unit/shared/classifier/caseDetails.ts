import type { FailureDetails, RunError } from '../../../../src/shared/domain';
import { mockBody } from '../intake/loadCase';

interface ActivityRun {
    activityName: string;
    activityType: string;
    error: { errorCode: string; message: string; failureType: string };
}

/** The FailureDetails the ADF connector builds from a case's scripted answers. */
export function adfDetails(caseName: string, runId: string): FailureDetails {
    const run = mockBody(caseName, `pipelineruns/${runId}?`) as {
        pipelineName: string;
        message: string;
        status: string;
    };
    const acts = mockBody(caseName, `pipelineruns/${runId}/queryActivityruns`) as { value: ActivityRun[] };
    const errors: RunError[] = acts.value.map((a) => ({
        scope: 'activity',
        name: a.activityName,
        type: a.activityType,
        code: a.error.errorCode,
        failureType: a.error.failureType,
        message: a.error.message,
    }));
    errors.push({ scope: 'run', name: run.pipelineName, message: run.message });
    return { found: true, runStatus: run.status, runMessage: run.message, errors };
}

interface DbxState {
    life_cycle_state: string;
    result_state?: string;
    state_message: string;
}
interface DbxRun {
    run_name: string;
    state: DbxState;
    status?: { termination_details?: { code: string; type: string; message?: string } };
    tasks: { task_key: string; state: DbxState }[];
}

/** The FailureDetails the Databricks connector builds from a case's `runs/get` answer. */
export function databricksDetails(caseName: string): FailureDetails {
    const run = mockBody(caseName, 'jobs/runs/get') as DbxRun;
    const errors: RunError[] = run.tasks
        .filter((t) => t.state.result_state === 'FAILED')
        .map((t) => ({ scope: 'task', name: t.task_key, message: t.state.state_message }));
    const term = run.status?.termination_details;
    if (term) {
        errors.push({
            scope: 'run',
            name: run.run_name,
            code: term.code,
            terminationType: term.type,
            message: term.message ?? run.state.state_message,
        });
    }
    return { found: true, runStatus: run.state.life_cycle_state, errors };
}
