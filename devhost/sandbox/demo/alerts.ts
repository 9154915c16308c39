import { randomUUID } from 'node:crypto';
import { PIPELINES, type AdfRun } from './adf-model';
import { DEMO_SUBSCRIPTION } from './constants';
import type { DbxRun } from './dbx-model';

const WORKSPACE_ARM_ID =
    `/subscriptions/${DEMO_SUBSCRIPTION}/resourcegroups/rg-demo-monitoring` +
    '/providers/microsoft.operationalinsights/workspaces/law-demo';
const ALERTS_PREFIX = `/subscriptions/${DEMO_SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts`;
const WORKSPACE_GUID = '0d0e0f10-1112-4314-8516-171819202122';
const QUERY =
    'ADFPipelineRun | where Status == "Failed" | project TimeGenerated, PipelineName, RunId, FailureType, _ResourceId';

const minute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');

/** A Log Alerts V2 common-schema alert for a failed run, as an Azure Monitor action group would POST it. */
export function logAlertFor(run: AdfRun, failureType: string, now: number): Record<string, unknown> {
    const windowEnd = minute(now);
    const windowStart = minute(now - 5 * 60_000);
    const factory = PIPELINES[run.pipelineName]!.factory;
    const dimensions = [
        { name: 'PipelineName', value: run.pipelineName },
        { name: 'RunId', value: run.runId },
        { name: 'FailureType', value: failureType },
        { name: '_ResourceId', value: factory.id.toLowerCase() },
    ];
    const filtered = `${QUERY} | where PipelineName == "${run.pipelineName}" | where RunId == "${run.runId}"`;
    const timespan = encodeURIComponent(`${windowStart}/${windowEnd}`);
    const scope = encodeURIComponent(JSON.stringify({ resources: [{ resourceId: WORKSPACE_ARM_ID }] }));
    const ui = (q: string) =>
        'https://portal.azure.com#@00000000-0000-4000-8000-0000000000aa' +
        '/blade/Microsoft_Azure_Monitoring_Logs/LogsBlade' +
        `/source/Alerts.EmailLinks/scope/${scope}/q/${encodeURIComponent(q)}/prettify/1/timespan/${timespan}`;
    const api = (q: string) =>
        `https://api.loganalytics.io/v1/workspaces/${WORKSPACE_GUID}/query` +
        `?query=${encodeURIComponent(q)}&timespan=${timespan}`;
    return {
        schemaId: 'azureMonitorCommonAlertSchema',
        data: {
            essentials: {
                alertId: `${ALERTS_PREFIX}/${randomUUID()}`,
                alertRule: 'adf-pipeline-failed-la',
                severity: 'Sev2',
                signalType: 'Log',
                monitorCondition: 'Fired',
                monitoringService: 'Log Alerts V2',
                alertTargetIDs: [WORKSPACE_ARM_ID],
                configurationItems: ['law-demo'],
                originAlertId: randomUUID(),
                firedDateTime: new Date(now).toISOString(),
                description: 'ADF pipeline run reported Failed in ADFPipelineRun',
                essentialsVersion: '1.0',
                alertContextVersion: '1.0',
            },
            alertContext: {
                properties: null,
                conditionType: 'LogQueryCriteria',
                condition: {
                    windowSize: 'PT5M',
                    allOf: [
                        {
                            searchQuery: QUERY,
                            metricMeasureColumn: null,
                            targetResourceTypes: "['Microsoft.OperationalInsights/workspaces']",
                            operator: 'GreaterThan',
                            threshold: '0',
                            timeAggregation: 'Count',
                            dimensions,
                            metricValue: 1.0,
                            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
                            linkToSearchResultsUI: ui(QUERY),
                            linkToFilteredSearchResultsUI: ui(filtered),
                            linkToSearchResultsAPI: api(QUERY),
                            linkToFilteredSearchResultsAPI: api(filtered),
                        },
                    ],
                    windowStartTime: windowStart,
                    windowEndTime: windowEnd,
                },
            },
            customProperties: null,
        },
    };
}

/** The body a Databricks system notification destination POSTs for a failed job run (ids as strings). */
export function failureNotificationFor(run: DbxRun): Record<string, unknown> {
    return {
        event_type: 'jobs.on_failure',
        workspace_id: run.workspace,
        run: { run_id: String(run.runId) },
        job: { job_id: String(run.job.jobId), name: run.job.name },
    };
}
