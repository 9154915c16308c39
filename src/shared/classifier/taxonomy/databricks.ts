import type { TaxonomyRow } from '../types';

const LIBRARY_CODES = ['LIBRARY_INSTALLATION_ERROR', 'DRIVER_LIBRARY_INSTALLATION_FAILURE'];

/** Databricks termination codes and types (Jobs API `status.termination_details`). */
export const DATABRICKS_ROWS: readonly TaxonomyRow[] = [
    {
        id: 'dbx-budget-policy',
        source: 'databricks',
        label: 'Databricks BUDGET_POLICY_LIMIT_EXCEEDED (a budget policy, not capacity)',
        match: { codes: ['BUDGET_POLICY_LIMIT_EXCEEDED'] },
        errorClass: 'configuration',
        retryable: false,
        example: { code: 'BUDGET_POLICY_LIMIT_EXCEEDED', message: 'Budget policy limit exceeded.' },
    },
    {
        id: 'dbx-limit-exceeded',
        source: 'databricks',
        label: 'Databricks run or cluster limit exceeded (*_LIMIT_EXCEEDED, MAX_CONCURRENT_RUNS_EXCEEDED)',
        match: { codePattern: /_LIMIT_EXCEEDED$|^MAX_CONCURRENT_RUNS_EXCEEDED$/i },
        errorClass: 'capacity',
        retryable: true,
        example: {
            code: 'WORKSPACE_RUN_LIMIT_EXCEEDED',
            terminationType: 'CLIENT_ERROR',
            message: 'Too many active runs.',
        },
    },
    {
        id: 'dbx-library-filesystem-not-ready',
        source: 'databricks',
        label: 'Databricks library installation failed because the filesystem was not ready',
        match: { codes: LIBRARY_CODES, message: /filesystem is not ready/i },
        errorClass: 'transient',
        retryable: true,
        example: {
            code: 'DRIVER_LIBRARY_INSTALLATION_FAILURE',
            message: 'Library install failed: filesystem is not ready.',
        },
    },
    {
        id: 'dbx-library-installation',
        source: 'databricks',
        label: 'Databricks library installation error (package or version)',
        match: { codes: LIBRARY_CODES },
        errorClass: 'configuration',
        retryable: false,
        extract: ['package'],
        example: {
            code: 'LIBRARY_INSTALLATION_ERROR',
            message: 'Library installation failed for pypi {package: "a==1"}.',
        },
    },
    {
        id: 'dbx-unauthorized',
        source: 'databricks',
        label: 'Databricks UNAUTHORIZED_ERROR',
        match: { codes: ['UNAUTHORIZED_ERROR'] },
        errorClass: 'permission',
        retryable: false,
        example: { code: 'UNAUTHORIZED_ERROR', terminationType: 'CLIENT_ERROR', message: 'Not authorized.' },
    },
    {
        id: 'dbx-client-configuration',
        source: 'databricks',
        label: 'Databricks client error (INVALID_*, RESOURCE_NOT_FOUND, STORAGE_ACCESS_ERROR)',
        match: { codePattern: /^(?:INVALID_\w+|RESOURCE_NOT_FOUND|STORAGE_ACCESS_ERROR)$/i },
        errorClass: 'configuration',
        retryable: false,
        example: { code: 'INVALID_CLUSTER_REQUEST', terminationType: 'CLIENT_ERROR', message: 'Invalid node type.' },
    },
    {
        id: 'dbx-cloud-failure',
        source: 'databricks',
        label: 'Databricks CLOUD_FAILURE termination',
        match: { terminationTypes: ['CLOUD_FAILURE'] },
        errorClass: 'transient',
        retryable: true,
        example: { code: 'CLOUD_FAILURE', terminationType: 'CLOUD_FAILURE', message: 'Cloud provider error.' },
    },
    {
        id: 'dbx-internal-error',
        source: 'databricks',
        label: 'Databricks INTERNAL_ERROR termination',
        match: { terminationTypes: ['INTERNAL_ERROR'] },
        errorClass: 'transient',
        retryable: true,
        example: { code: 'DRIVER_ERROR', terminationType: 'INTERNAL_ERROR', message: 'Internal error.' },
    },
    {
        id: 'dbx-client-error-first-guess',
        source: 'databricks',
        label: 'Databricks CLIENT_ERROR termination (job code or settings; first guess)',
        match: { terminationTypes: ['CLIENT_ERROR'] },
        errorClass: 'code',
        retryable: null,
        example: { code: 'RUN_EXECUTION_ERROR', terminationType: 'CLIENT_ERROR', message: 'Workload failed.' },
    },
];
