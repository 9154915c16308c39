import type { TaxonomyRow } from '../types';

/** "status code: '503'", "'503 ServiceUnavailable'" or "'ServiceUnavailable (503)'". */
const status = (codes: string) => `status code:?\\s*'?(?:\\w+ ?\\()?(?:${codes})\\b`;

// Concrete evidence only: ADF's 'NA - Unknown' boilerplate lists "a DNS failure, a server certificate validation or
// a timeout" as mere possibilities, and must not read as a network failure by itself.
const NETWORK_2108 = new RegExp(
    [
        status('5\\d\\d'),
        'timed out|Timeout expired|could not be resolved|No such host|Name or service not known',
        'connection (?:was )?(?:forcibly )?(?:reset|refused|closed)',
    ].join('|'),
    'i',
);
const CLIENT_2108 = new RegExp(
    [
        'Invalid Url',
        status('4\\d\\d'),
        'remote certificate is invalid|certificate (?:has )?expired|SSL connection could not be established',
    ].join('|'),
    'i',
);

/** ADF activity error codes (data-factory-troubleshoot-guide). */
export const ADF_CODE_ROWS: readonly TaxonomyRow[] = [
    {
        id: 'adf-2108-throttled',
        source: 'adf',
        label: 'ADF 2108 with HTTP 429/408 from the endpoint',
        match: { codes: ['2108'], message: new RegExp(status('429|408'), 'i') },
        errorClass: 'transient',
        retryable: true,
        extract: ['endpoint'],
        example: {
            code: '2108',
            message: "Error calling the endpoint 'https://x.example/a'. Response status code: '429'.",
        },
    },
    {
        id: 'adf-2108-client-error',
        source: 'adf',
        label: 'ADF 2108 with an invalid URL, a 4xx status or a certificate error',
        match: { codes: ['2108'], message: CLIENT_2108 },
        errorClass: 'configuration',
        retryable: false,
        extract: ['endpoint'],
        example: {
            code: '2108',
            message: "Error calling the endpoint 'https://x.example/a'. Response status code: '404'.",
        },
    },
    {
        id: 'adf-2108-network',
        source: 'adf',
        label: 'ADF 2108 with a 5xx or a stated network cause (timeout, DNS, connection reset)',
        match: { codes: ['2108'], message: NETWORK_2108 },
        errorClass: 'transient',
        retryable: true,
        extract: ['endpoint'],
        example: {
            code: '2108',
            message: "Error calling the endpoint 'https://x.example/a'. Response status code: '503'.",
        },
    },
    {
        // C14 heals on the model's advice, C38 (same error, no analysis) must not rerun: the rules alone cannot tell.
        id: 'adf-2108-no-status',
        source: 'adf',
        label: 'ADF 2108 with no HTTP status and no stated cause (network, DNS, certificate or timeout)',
        match: { codes: ['2108'], message: /NA - Unknown/i },
        errorClass: 'transient',
        retryable: null,
        extract: ['endpoint'],
        example: {
            code: '2108',
            message: "Error calling the endpoint 'https://x.example/a'. Response status code: 'NA - Unknown'.",
        },
    },
    {
        id: 'adf-2010-shir-offline',
        source: 'adf',
        label: 'ADF 2010 (self-hosted integration runtime offline)',
        match: { codes: ['2010'] },
        errorClass: 'infrastructure',
        retryable: false,
        extract: ['integrationRuntime'],
        example: { code: '2010', message: "The Self-hosted Integration Runtime 'ir-01' is offline." },
    },
    row(
        'adf-payload-limit',
        'ADF 2001/2002 (output or payload over the size limit)',
        ['2001', '2002'],
        'configuration',
        false,
    ),
    row('adf-2003-concurrency', 'ADF 2003 (concurrent external activity throttling)', ['2003'], 'transient', true),
    row(
        'adf-authoring',
        'ADF 2103/2104/2105/2111 (missing property, wrong type or invalid JSON)',
        ['2103', '2104', '2105', '2111'],
        'configuration',
        false,
    ),
    row('adf-3200-databricks-auth', 'ADF 3200 (Databricks 403 or expired token)', ['3200'], 'permission', false),
    row(
        'adf-3201-databricks-authoring',
        'ADF 3201 (Databricks authoring error or missing cluster)',
        ['3201'],
        'configuration',
        false,
    ),
    row(
        'adf-3202-databricks-throttling',
        'ADF 3202 (Databricks job-creation throttling)',
        ['3202'],
        'transient',
        true,
        'UserError',
    ),
    row('adf-3203-cluster-terminated', 'ADF 3203 (interactive cluster terminated)', ['3203'], 'transient', true),
    row('adf-3208-network', 'ADF 3208 (network error sending the request)', ['3208'], 'transient', true),
    row('adf-4502-dataflow-throttling', 'ADF 4502 (concurrent data flow throttling)', ['4502'], 'transient', true),
    row(
        'adf-synapse-capacity',
        'ADF 3250/3251/3252 (Synapse pool or vCore capacity)',
        ['3250', '3251', '3252'],
        'capacity',
        true,
    ),
    row('adf-3253-synapse-throttling', 'ADF 3253 (Synapse throttling)', ['3253'], 'transient', true),
    row(
        'adf-aml-credential',
        'ADF 4121/4122 (Azure ML credential expired or invalid)',
        ['4121', '4122'],
        'permission',
        false,
    ),
    row('adf-4125-aml-server-error', 'ADF 4125 (Azure ML server error)', ['4125'], 'transient', true),
    row(
        'adf-df-internal-server-error',
        'DF-Executor-InternalServerError',
        ['DF-Executor-InternalServerError'],
        'transient',
        true,
    ),
    row(
        'adf-df-out-of-disk',
        'DF-Executor-OutOfDiskSpaceError',
        ['DF-Executor-OutOfDiskSpaceError'],
        'transient',
        true,
    ),
    row(
        'adf-df-out-of-memory',
        'DF-Executor-OutOfMemoryError (needs a bigger compute)',
        ['DF-Executor-OutOfMemoryError'],
        'configuration',
        false,
    ),
    row(
        'adf-df-broadcast-timeout',
        'DF-Executor-BroadcastTimeout',
        ['DF-Executor-BroadcastTimeout'],
        'configuration',
        false,
    ),
    row(
        'adf-monitoring-throttled',
        'TooManyPipelineRunQueryRequests (ADF monitoring throttling)',
        ['TooManyPipelineRunQueryRequests'],
        'transient',
        true,
    ),
];

function row(
    id: string,
    label: string,
    codes: string[],
    errorClass: TaxonomyRow['errorClass'],
    retryable: boolean,
    failureType?: 'UserError',
): TaxonomyRow {
    const example = { code: codes[0], message: `${label}.`, ...(failureType ? { failureType } : {}) };
    return { id, source: 'adf', label, match: { codes }, errorClass, retryable, example };
}
