import type { TaxonomyRow } from '../types';

const STORAGE = ['AzureBlobOperationFailed', 'AdlsGen2OperationFailed'];
const SQL_CONNECT = ['SqlFailedToConnect'];

/** Connector codes, usually the `ErrorCode=` inside a 2200 Copy message (connector-troubleshoot-*). */
export const ADF_INNER_ROWS: readonly TaxonomyRow[] = [
    {
        id: 'adf-source-missing',
        source: 'adf',
        label: 'Missing source file, folder or container',
        match: {
            codes: [
                'UserErrorSourceBlobNotExists',
                'UserErrorFileNotFound',
                'FileNotFound',
                'PathNotFound',
                'UserErrorPathNotFound',
            ],
        },
        errorClass: 'data',
        retryable: false,
        extract: ['blobPath'],
        example: {
            code: '2200',
            message:
                "ErrorCode=UserErrorSourceBlobNotExists,'Message=The source blob is missing. ContainerName: landing, path: landing/x/.,'",
        },
    },
    {
        id: 'adf-schema-drift',
        source: 'adf',
        label: 'Type conversion, column name or delimited-text column error (data or schema drift)',
        match: { codePattern: /^(?:TypeConversionFailure|SqlInvalidColumnName|(?:UserError)?DelimitedText\w*)$/i },
        errorClass: 'data',
        retryable: false,
        example: {
            code: '2200',
            message: "ErrorCode=TypeConversionFailure,'Message=Exception occurred when converting value'",
        },
    },
    {
        id: 'adf-storage-busy',
        source: 'adf',
        label: 'Storage operation failed with ServerBusy or a timeout',
        match: { codes: STORAGE, message: /ServerBusy|OperationTimedOut|timed? ?out|\b503\b/i },
        errorClass: 'transient',
        retryable: true,
        example: {
            code: '2200',
            message: "ErrorCode=AzureBlobOperationFailed,'Message=Blob operation failed. ServerBusy'",
        },
    },
    {
        id: 'adf-storage-auth',
        source: 'adf',
        label: 'Storage operation failed to authenticate or authorise (credential or RBAC)',
        match: { codes: STORAGE, message: /authenticat|authori[sz]|\b403\b|Forbidden|permission/i },
        errorClass: 'permission',
        retryable: false,
        example: {
            code: '2200',
            message: "ErrorCode=AdlsGen2OperationFailed,'Message=ADLS Gen2 operation failed: failed to authenticate'",
        },
    },
    {
        id: 'adf-sql-connect-config',
        source: 'adf',
        label: 'SqlFailedToConnect blocked by firewall, public access or login',
        match: {
            codes: SQL_CONNECT,
            message: /firewall|not allowed to access|47073|login failed|deny public network access|Cannot open server/i,
        },
        errorClass: 'configuration',
        retryable: false,
        example: {
            code: '2200',
            message:
                "ErrorCode=SqlFailedToConnect,'Message=Client with IP address is not allowed to access the server.'",
        },
    },
    {
        id: 'adf-sql-connect-network',
        source: 'adf',
        label: 'SqlFailedToConnect on an unstable network',
        match: {
            codes: SQL_CONNECT,
            message: /network|transport|timed? ?out|forcibly closed|connection (?:was )?(?:reset|closed)/i,
        },
        errorClass: 'transient',
        retryable: true,
        example: {
            code: '2200',
            message: "ErrorCode=SqlFailedToConnect,'Message=A transport-level error has occurred.'",
        },
    },
    sql('adf-sql-timeout', 'SQL open-connection or batch-write timeout, or closed connection', [
        'SqlOpenConnectionTimeout',
        'SqlBatchWriteTimeout',
        'SqlConnectionIsClosed',
    ]),
    sql('adf-sql-batch-transaction', 'SqlBatchWriteTransactionFailed (intermittent)', [
        'SqlBatchWriteTransactionFailed',
    ]),
    {
        id: 'adf-sql-operation-timeout',
        source: 'adf',
        label: 'SqlOperationFailed with Execution Timeout Expired',
        match: { codes: ['SqlOperationFailed'], message: /Execution Timeout Expired|timeout expired/i },
        errorClass: 'transient',
        retryable: true,
        example: { code: '2200', message: "ErrorCode=SqlOperationFailed,'Message=Execution Timeout Expired.'" },
    },
    {
        id: 'adf-sql-operation-invalid',
        source: 'adf',
        label: 'SqlOperationFailed with InvalidOperationException (data problem)',
        match: { codes: ['SqlOperationFailed'], message: /InvalidOperationException/ },
        errorClass: 'data',
        retryable: false,
        example: {
            code: '2200',
            message: "ErrorCode=SqlOperationFailed,'Type=System.InvalidOperationException,Message=bad'",
        },
    },
    {
        id: 'adf-sql-unauthorized',
        source: 'adf',
        label: 'SqlUnauthorizedAccess',
        match: { codes: ['SqlUnauthorizedAccess'] },
        errorClass: 'permission',
        retryable: false,
        example: { code: '2200', message: "ErrorCode=SqlUnauthorizedAccess,'Message=Cannot connect. Login failed.'" },
    },
];

function sql(id: string, label: string, codes: string[]): TaxonomyRow {
    return {
        id,
        source: 'adf',
        label,
        match: { codes },
        errorClass: 'transient',
        retryable: true,
        example: { code: '2200', message: `ErrorCode=${codes[0]},'Message=${label}'` },
    };
}
