import { randomUUID } from 'node:crypto';
import { armError } from '../responses';
import type { Answer } from '../types';
import { newRun, PIPELINES, type AdfRun } from './adf-model';
import type { Factory } from './constants';

/** POST createRun, with ADF's rules for reference (recovery) runs and where a rerun starts. */
export function createRun(
    runs: Map<string, AdfRun>,
    now: number,
    factory: Factory,
    pipelineName: string,
    query: URLSearchParams,
    body: unknown,
): Answer {
    if (PIPELINES[pipelineName]?.factory !== factory) {
        return armError(
            404,
            'EntityNotFound',
            `Entity ${pipelineName} not found in factory ${factory.name}, resource group ${factory.resourceGroup}.`,
        );
    }
    const refId = query.get('referencePipelineRunId');
    const recovery = query.get('isRecovery')?.toLowerCase() === 'true';
    const ref = refId ? runs.get(refId) : undefined;
    if (refId && (!ref || ref.pipelineName !== pipelineName)) {
        return armError(
            400,
            'BadRequest',
            `Reference pipeline run '${refId}' of pipeline '${pipelineName}' was not found.`,
        );
    }
    if (recovery && !ref) return armError(400, 'BadRequest', 'isRecovery requires referencePipelineRunId.');
    const startActivity = query.get('startActivityName') ?? undefined;
    if (startActivity && !PIPELINES[pipelineName]!.activities.some((a) => a.name === startActivity)) {
        return armError(
            400,
            'BadRequest',
            `Activity '${startActivity}' does not exist in pipeline '${pipelineName}'.`,
        );
    }
    const fromFailure = query.get('startFromFailure')?.toLowerCase() === 'true' ? ref?.failsAt : undefined;
    const parameters = ref
        ? ref.parameters
        : typeof body === 'object' && body !== null
          ? (body as Record<string, unknown>)
          : {};
    const run = newRun({
        pipelineName,
        createdMs: now,
        recovery,
        startActivity: startActivity ?? fromFailure,
        parameters,
        invokedBy: { name: 'Manual', id: randomUUID().replace(/-/g, ''), invokedByType: 'Manual' },
        ...(recovery && ref && { runGroupId: ref.runGroupId }),
    });
    if (recovery) for (const r of runs.values()) if (r.runGroupId === run.runGroupId) r.isLatest = false;
    runs.set(run.runId, run);
    return { status: 200, body: { runId: run.runId } };
}
