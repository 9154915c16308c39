import { randomUUID } from 'node:crypto';
import { pathMatches } from '../matching';
import { armError } from '../responses';
import { decodeSegment } from '../routing';
import type { ServiceCall } from '../server';
import type { Answer } from '../types';
import { createRun } from './adf-create';
import { integrationRuntimeStatus } from './adf-ir';
import { activityRows, lastUpdatedMs, newRun, PIPELINES, runBody, runStatus, type AdfRun } from './adf-model';
import { filterMatches, page, parseQuery } from './adf-query';
import { FACTORIES, type Factory } from './constants';

const PIPELINE_PAGE = 5;

export interface FailedRunOptions {
    runId?: string;
    createdMs?: number;
    /** Name of the schedule trigger that started the run. */
    trigger?: string;
}
const ACTIVITY_PAGE = 1;

export class AdfDemo {
    readonly runs = new Map<string, AdfRun>();

    constructor(private readonly clock: () => number) {}

    /** A failed run of the pipeline, as if a trigger had started it at `createdMs` (default: 20 s ago). */
    createFailedRun(pipelineName: string, opts: FailedRunOptions = {}): AdfRun {
        const run = newRun({
            ...(opts.runId !== undefined && { runId: opts.runId }),
            pipelineName,
            createdMs: opts.createdMs ?? this.clock() - 20_000,
            recovery: false,
            invokedBy: {
                name: opts.trigger ?? 'tr_hourly',
                id: '08584' + randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase(),
                invokedByType: 'ScheduleTrigger',
            },
        });
        this.runs.set(run.runId, run);
        return run;
    }

    handle(call: ServiceCall): Answer {
        const version = call.route.query.get('api-version');
        if (!version)
            return armError(
                400,
                'MissingApiVersionParameter',
                'The api-version query parameter (?api-version=) is required for all requests.',
            );
        if (version !== '2018-06-01')
            return armError(
                400,
                'InvalidApiVersionParameter',
                `The api-version '${version}' is invalid. The supported versions are '2018-06-01'.`,
            );
        const segments = call.route.path.split('/').filter(Boolean).map(decodeSegment);
        const factoryPath = '/' + segments.slice(0, 8).join('/');
        const factory = FACTORIES.find((f) => pathMatches('adf', f.id, factoryPath));
        if (!factory) {
            return armError(
                404,
                'ResourceNotFound',
                `The Resource 'Microsoft.DataFactory/factories/${segments[7] ?? ''}' ` +
                    `under resource group '${segments[3] ?? ''}' was not found.`,
            );
        }
        const rest = segments.slice(8);
        const op = rest.map((s, i) => (i % 2 === 0 ? s.toLowerCase() : s));
        const method = call.method;
        if (method === 'POST' && op.length === 1 && op[0] === 'querypipelineruns')
            return this.queryPipelineRuns(factory, call.body);
        if (op[0] === 'pipelineruns' && rest[1]) {
            const run = this.runs.get(rest[1]);
            if (!run || PIPELINES[run.pipelineName]!.factory !== factory)
                return armError(
                    404,
                    'PipelineRunNotFound',
                    `Pipeline run '${rest[1]}' was not found in factory '${factory.name}'.`,
                );
            if (method === 'GET' && op.length === 2) return { status: 200, body: runBody(run, this.clock()) };
            if (method === 'POST' && op[2] === 'queryactivityruns') return this.queryActivityRuns(run, call.body);
        }
        if (method === 'POST' && op[0] === 'pipelines' && op[2] === 'createrun' && rest[1]) {
            return createRun(this.runs, this.clock(), factory, rest[1], call.route.query, call.body);
        }
        if (method === 'POST' && op[0] === 'integrationruntimes' && op[2] === 'getstatus' && rest[1]) {
            return integrationRuntimeStatus(factory, rest[1], this.clock());
        }
        return armError(404, 'NotFound', `No HTTP resource was found that matches ${method} ${call.route.path}.`);
    }

    private queryPipelineRuns(factory: Factory, body: unknown): Answer {
        const q = parseQuery(body);
        if ('status' in q) return q;
        const now = this.clock();
        const fields: Record<string, (r: AdfRun) => string> = {
            pipelinename: (r) => r.pipelineName,
            rungroupid: (r) => r.runGroupId,
            runid: (r) => r.runId,
            status: (r) => runStatus(r, now),
        };
        let rows = [...this.runs.values()].filter((r) => {
            if (PIPELINES[r.pipelineName]!.factory !== factory) return false;
            const updated = lastUpdatedMs(r, now);
            return updated >= q.after && updated <= q.before;
        });
        for (const f of q.filters) {
            const field = fields[f.operand.toLowerCase()];
            if (!field) return armError(400, 'BadRequest', `Filter operand '${f.operand}' is not supported.`);
            const kept: AdfRun[] = [];
            for (const r of rows) {
                const ok = filterMatches(f.operator, f.values, field(r));
                if (typeof ok !== 'boolean') return ok;
                if (ok) kept.push(r);
            }
            rows = kept;
        }
        rows.sort((a, b) => a.createdMs - b.createdMs);
        return {
            status: 200,
            body: page(
                rows.map((r) => runBody(r, now)),
                q.offset,
                PIPELINE_PAGE,
            ),
        };
    }

    private queryActivityRuns(run: AdfRun, body: unknown): Answer {
        const q = parseQuery(body);
        if ('status' in q) return q;
        const rows = activityRows(run, this.clock())
            .filter((r) => r.updatedMs >= q.after && r.updatedMs <= q.before)
            .map((r) => r.row);
        return { status: 200, body: page(rows, q.offset, ACTIVITY_PAGE) };
    }
}
