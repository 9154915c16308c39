import type { TaxonomyRow } from '../types';

/**
 * Failures the services themselves call retryable: throttling, server errors, socket timeouts and Delta Lake's
 * optimistic-concurrency conflicts ("Please try the operation again"). Sources: connector-troubleshoot-sftp.md,
 * connector-troubleshoot-azure-cosmos-db.md, connector-troubleshoot-rest.md, Delta Lake concurrency-control docs,
 * Databricks termination codes.
 */
export const RETRYABLE_ROWS: readonly TaxonomyRow[] = [
    {
        id: 'adf-sftp-socket-timeout',
        source: 'adf',
        label: 'SFTP read or connect timed out',
        match: { codes: ['SftpOperationFail'], message: /timed out|timeout/i },
        errorClass: 'transient',
        retryable: true,
        example: { code: 'SftpOperationFail', message: 'Failed to read data from the SFTP server. Socket read operation has timed out after 30000 milliseconds.' },
    },
    {
        id: 'adf-cosmos-throttled',
        source: 'adf',
        label: 'Cosmos DB throttled the copy (request rate too large)',
        match: { codes: ['CosmosDbSqlApiOperationFailed'], message: /Request rate is large|TooManyRequests|\b429\b/i },
        errorClass: 'transient',
        retryable: true,
        example: { code: 'CosmosDbSqlApiOperationFailed', message: 'CosmosDbSqlApi operation Failed. ErrorMessage: Request rate is large (429).' },
    },
    {
        id: 'adf-rest-server-error',
        source: 'adf',
        label: 'REST source or sink answered with a server error (5xx)',
        match: { codes: ['RestCallFailedWithServerError'] },
        errorClass: 'transient',
        retryable: true,
        example: { code: 'RestCallFailedWithServerError', message: 'Rest call failed with server error, status code 503 ServiceUnavailable.' },
    },
    {
        id: 'adf-internal-server-error',
        source: 'adf',
        label: 'Data Factory internal server error',
        match: { codes: ['InternalServerError'] },
        errorClass: 'transient',
        retryable: true,
        example: { code: 'InternalServerError', message: 'An internal server error occurred in the service. Please retry the operation.' },
    },
    {
        id: 'any-delta-concurrent-update',
        source: 'any',
        label: 'Delta Lake write conflict with a concurrent update',
        match: { message: /ConcurrentAppendException|ConcurrentDeleteReadException|ConcurrentDeleteDeleteException|MetadataChangedException|ConcurrentTransactionException/ },
        errorClass: 'transient',
        retryable: true,
        example: { code: '3204', message: 'Job execution failed. ConcurrentAppendException: Files were added to partition [dt=2025-03-14] by a concurrent update.' },
    },
    {
        id: 'dbx-sql-warehouse-starting',
        source: 'databricks',
        label: 'SQL warehouse still starting when the task ran',
        match: { message: /SQL warehouse is (?:starting|not running)[^.]*\.?[^.]*timed out|timed out waiting for (?:the )?(?:SQL )?warehouse/i },
        errorClass: 'transient',
        retryable: true,
        example: { message: 'The SQL warehouse is starting; the request timed out waiting for it to become available.' },
    },
    {
        id: 'dbx-cloud-quota',
        source: 'databricks',
        label: 'Azure vCPU quota reached while clusters were busy',
        match: { codes: ['AZURE_QUOTA_EXCEEDED_EXCEPTION'] },
        errorClass: 'capacity',
        retryable: true,
        example: { code: 'AZURE_QUOTA_EXCEEDED_EXCEPTION', terminationType: 'CLIENT_ERROR', message: 'Operation could not be completed as it results in exceeding approved Cores quota.' },
    },
];
