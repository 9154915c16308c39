import type { TaxonomyRow } from '../types';

/** A case-insensitive regex matching any of the alternatives (each alternative is regex source). */
function anyOf(...alternatives: string[]): RegExp {
    return new RegExp(alternatives.join('|'), 'i');
}

const CAPACITY = anyOf(
    'OverconstrainedAllocationRequest',
    'ZonalAllocationFailed',
    'AllocationFailed',
    'SkuNotAvailable',
    'VM size is not available',
    'InsufficientInstanceCapacity',
    '(?:not enough|insufficient) capacity',
    'QuotaExceeded',
    'quota (?:was |has been )?exceeded',
    'SPOT_INSTANCE_TERMINATION',
    'spot instance[^.]*(?:evicted|preempted|terminated|lost)',
);
const AUTH = anyOf(
    'failed to authenticate',
    'AuthenticationFailed',
    'AuthorizationPermissionMismatch',
    'AuthorizationFailure',
    '\\bForbidden\\b',
    'access (?:is )?denied',
    'not authori[sz]ed',
    'token (?:has |is )?expired',
    'invalid access token',
    '\\(403\\)',
    '\\b401\\b',
);
const NETWORK = anyOf(
    'ConnectException',
    'Connection refused',
    'connection (?:was )?reset',
    'SocketTimeoutException',
    'UnknownHostException',
    'Name or service not known',
    'temporarily unavailable',
);
const MISSING_PATH =
    /\b(?:file|folder|path|blob|container|directory)\b[^.\n]{0,80}?\b(?:does not exist|doesn't exist|not exist|not found|is missing)/i;

/** Rows on the message text: the inner message of wrappers (2011, 3204, RUN_EXECUTION_ERROR) and run messages. */
export const MESSAGE_ROWS: readonly TaxonomyRow[] = [
    {
        id: 'adf-upstream-blocked-until',
        source: 'adf',
        label: 'Upstream service throttled the call and blocks it until a stated time',
        match: { codes: ['RestCallFailedWithClientError', '2108', '2200'], message: /blocked[^.]*?until/i },
        errorClass: 'transient',
        retryable: true,
        extract: ['blockedUntil'],
        example: {
            code: 'RestCallFailedWithClientError',
            message: 'Rest call failed with client error, status code 429 TooManyRequests. Response: {"message":"Requests from this client are blocked upstream until: 3/23/2025 2:41:00 AM (UTC)"}',
        },
    },
    {
        id: 'adf-shir-offline-message',
        source: 'adf',
        label: 'Self-hosted integration runtime offline',
        match: { message: /integration runtime[^.]*?\b(?:is )?(?:offline|not online|unavailable)/i },
        errorClass: 'infrastructure',
        retryable: false,
        extract: ['integrationRuntime'],
        example: { code: '2100', message: "Self-hosted integration runtime 'ir-onprem-01' is offline." },
    },
    {
        id: 'dbx-library-filesystem-message',
        source: 'databricks',
        label: 'Databricks library installation hit a filesystem that was not ready',
        match: { message: /filesystem is not ready/i },
        errorClass: 'transient',
        retryable: true,
        example: { message: 'DRIVER_LIBRARY_INSTALLATION_FAILURE: filesystem is not ready' },
    },
    {
        id: 'dbx-library-message',
        source: 'databricks',
        label: 'Databricks library installation failure (NO_MATCHING_DISTRIBUTION_ERROR or similar)',
        match: {
            message: /Library installation failed|NO_MATCHING_DISTRIBUTION_ERROR|No matching distribution found/i,
        },
        errorClass: 'configuration',
        retryable: false,
        extract: ['package'],
        example: { message: 'Library installation failed for library due to user error for pypi {package: "x==1"}' },
    },
    {
        id: 'dbx-capacity-message',
        source: 'databricks',
        label: 'Cloud capacity or spot eviction (no VM of that size available)',
        match: { message: CAPACITY },
        errorClass: 'capacity',
        retryable: true,
        example: { terminationType: 'CLOUD_FAILURE', message: 'azure_error_code: OverconstrainedAllocationRequest' },
    },
    {
        id: 'dbx-driver-unreachable',
        source: 'databricks',
        label: 'Databricks driver unreachable or unresponsive',
        match: {
            message:
                /driver (?:is )?(?:not responding|unreachable|unresponsive)|DRIVER_UNREACHABLE|DRIVER_UNRESPONSIVE/i,
        },
        errorClass: 'transient',
        retryable: true,
        example: { message: 'Could not reach driver of cluster: DRIVER_UNREACHABLE' },
    },
    {
        id: 'any-out-of-memory',
        source: 'any',
        label: 'Out of memory in the job (needs more memory or less data per task)',
        match: { message: /OutOfMemoryError|Java heap space|GC overhead limit exceeded|out of memory|exit code 137/i },
        errorClass: 'configuration',
        retryable: false,
        example: { code: 'RUN_EXECUTION_ERROR', message: 'java.lang.OutOfMemoryError: Java heap space' },
    },
    {
        id: 'any-network-exception',
        source: 'any',
        label: 'Network exception (connection refused/reset, socket timeout, unknown host)',
        match: { message: NETWORK },
        errorClass: 'transient',
        retryable: true,
        example: { code: 'RUN_EXECUTION_ERROR', message: 'java.net.ConnectException: Connection refused' },
    },
    {
        id: 'any-auth-failure',
        source: 'any',
        label: 'Authentication or authorisation failure',
        match: { message: AUTH },
        errorClass: 'permission',
        retryable: false,
        example: {
            code: '2011',
            message: 'Failed to read the file: This request is not authorized to perform this operation (403).',
        },
    },
    {
        id: 'any-path-missing',
        source: 'any',
        label: 'Missing file, folder or path',
        match: { message: MISSING_PATH },
        errorClass: 'data',
        retryable: false,
        extract: ['blobPath'],
        example: { code: '2011', message: 'The required Blob is missing. Folder path: landing/sales/.' },
    },
];

/** ADF `failureType`: a first guess at the class that leaves the rerun decision open. */
export const FIRST_GUESS_ROWS: readonly TaxonomyRow[] = [
    {
        id: 'adf-system-error-first-guess',
        source: 'adf',
        label: 'ADF SystemError (service side; first guess)',
        match: { failureType: 'SystemError' },
        errorClass: 'transient',
        retryable: null,
        example: { code: '9999', failureType: 'SystemError', message: 'Internal server error.' },
    },
    {
        id: 'adf-user-error-first-guess',
        source: 'adf',
        label: 'ADF UserError (first guess)',
        match: { failureType: 'UserError' },
        errorClass: 'configuration',
        retryable: null,
        example: { code: '9999', failureType: 'UserError', message: 'Something in the activity settings.' },
    },
];
