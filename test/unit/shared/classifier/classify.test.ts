import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify } from '../../../../src/shared/classifier';
import type { RunError } from '../../../../src/shared/domain';
import { adfDetails, databricksDetails } from './caseDetails';

const act = (e: Partial<RunError> & { message: string }): RunError => ({ scope: 'activity', name: 'A1', ...e });

describe('classify', () => {
    it('C14/C38: 2108 with no HTTP status and no stated cause is a transient first guess the rules leave open', () => {
        const c = classify(
            'adf',
            adfDetails('C14-adf-2108-transient-endpoint', '5e2b7d91-3c4a-4f6e-a8b0-1d2c3e4f5a6b'),
        );
        assert.equal(c.ruleId, 'adf-2108-no-status');
        assert.equal(c.errorClass, 'transient');
        assert.equal(c.retryable, null, 'C38: without an analysis this failure must not be rerun');
        assert.equal(c.errorCode, '2108');
        assert.equal(c.extracted.host, 'api.partner-feed.example.net');
        assert.match(c.reason, /ADF 2108 .*rule adf-2108-no-status.*Web_Get_Partner_Token/);
    });

    it('2108 with a stated network cause or a 5xx is transient and retryable; a certificate error is not', () => {
        const network = [
            "Response status code: 'NA - Unknown'. Exception message: 'the connection was closed before a response was received.'",
            "Response status code: 'NA - Unknown'. The operation has timed out.",
            "Response status code: '503'.",
            "Response status code: 'ServiceUnavailable (503)'.",
        ];
        for (const message of network) {
            const c = classify('adf', { found: true, errors: [act({ code: '2108', message })] });
            assert.deepEqual([c.ruleId, c.retryable], ['adf-2108-network', true], message);
        }
        const cert = "Response status code: 'NA - Unknown'. The remote certificate is invalid according to the validation procedure.";
        const c = classify('adf', { found: true, errors: [act({ code: '2108', message: cert })] });
        assert.deepEqual([c.ruleId, c.retryable], ['adf-2108-client-error', false]);
    });

    it('C15: 2200 with inner UserErrorSourceBlobNotExists is data, not retryable, with container and path', () => {
        const c = classify(
            'adf',
            adfDetails('C15-adf-2200-source-blob-missing', '2b4d6f80-1a3c-4e5f-9b7d-0c2e4a6b8d0f'),
        );
        assert.equal(c.ruleId, 'adf-source-missing');
        assert.equal(c.errorClass, 'data');
        assert.equal(c.retryable, false);
        assert.equal(c.extracted.container, 'landing');
        assert.equal(c.extracted.path, 'landing/sales/2025/03/14/');
        assert.equal(c.extracted.innerErrorCode, 'UserErrorSourceBlobNotExists');
        assert.match(c.reason, /UserErrorSourceBlobNotExists/);
    });

    it('C16: a self-hosted IR offline is infrastructure, not retryable, naming the runtime', () => {
        const c = classify('adf', adfDetails('C16-adf-shir-offline', '8d0f2b4c-6e8a-4c1e-9a3c-5e7a9c1e3a5c'));
        assert.equal(c.errorClass, 'infrastructure');
        assert.equal(c.retryable, false);
        assert.equal(c.extracted.integrationRuntime, 'ir-onprem-01');
    });

    it('C22: CLOUD_FAILURE with no VM capacity is capacity and retryable', () => {
        const c = classify('databricks', databricksDetails('C22-dbx-webhook-cloud-failure'));
        assert.equal(c.errorClass, 'capacity');
        assert.equal(c.retryable, true);
        assert.equal(c.errorCode, 'CLOUD_FAILURE');
    });

    it('C22 without the capacity wording is still transient from the termination type', () => {
        const c = classify('databricks', {
            found: true,
            errors: [
                {
                    scope: 'run',
                    name: 'job',
                    code: 'CLOUD_FAILURE',
                    terminationType: 'CLOUD_FAILURE',
                    message: 'Cloud provider error',
                },
            ],
        });
        assert.equal(c.ruleId, 'dbx-cloud-failure');
        assert.equal(c.errorClass, 'transient');
    });

    it('C26: library installation with no matching distribution is configuration, naming the package', () => {
        const c = classify('databricks', databricksDetails('C26-dbx-library-no-matching-distribution'));
        assert.equal(c.ruleId, 'dbx-library-installation');
        assert.equal(c.errorClass, 'configuration');
        assert.equal(c.retryable, false);
        assert.equal(c.extracted.package, 'orders-utils==2.7.1');
        assert.equal(c.extracted.truncated, 'true');
    });

    it('never classifies on a wrapper alone: 2200 with an unknown inner code falls back to the failure type guess', () => {
        const c = classify('adf', {
            found: true,
            errors: [act({ code: '2200', failureType: 'UserError', message: 'ErrorCode=SomethingNew,...' })],
        });
        assert.equal(c.ruleId, 'adf-user-error-first-guess');
        assert.equal(c.retryable, null);
        const bare = classify('adf', { found: true, errors: [act({ code: '2011', message: 'Activity failed.' })] });
        assert.equal(bare.errorClass, 'unknown');
    });

    it('a specific code beats the UserError guess (3202 arrives as UserError and is transient)', () => {
        const c = classify('adf', {
            found: true,
            errors: [act({ code: '3202', failureType: 'UserError', message: 'x' })],
        });
        assert.equal(c.errorClass, 'transient');
        assert.equal(c.retryable, true);
    });

    it('2108 with an invalid URL or a 4xx is configuration', () => {
        for (const message of ["Error calling the endpoint 'x'. Invalid Url", "Response status code: '403'"]) {
            const c = classify('adf', { found: true, errors: [act({ code: '2108', message })] });
            assert.equal(c.ruleId, 'adf-2108-client-error', message);
            assert.equal(c.retryable, false);
        }
    });

    it('prefers a structured match on any error over a message match, and activity over run on a tie', () => {
        const details = {
            found: true,
            errors: [
                { scope: 'run' as const, name: 'pl', message: "Self-hosted integration runtime 'ir-x' is offline" },
                act({ code: '2108', message: "Response status code: 'NA - Unknown'" }),
            ],
        };
        assert.equal(classify('adf', details).ruleId, 'adf-2108-no-status');
        const tie = classify('adf', {
            found: true,
            errors: [
                { scope: 'run', name: 'pl', message: 'java.lang.OutOfMemoryError: heap' },
                act({ name: 'Nb', message: 'java.net.ConnectException: refused' }),
            ],
        });
        assert.equal(tie.ruleId, 'any-network-exception', 'the activity error wins over an earlier row on the run');
    });

    it('classifies the run message when there are no activity errors', () => {
        const c = classify('adf', { found: true, runMessage: "Integration runtime 'ir-9' is offline", errors: [] });
        assert.equal(c.extracted.integrationRuntime, 'ir-9');
    });

    it('unknown errors are class unknown with retryable null and a reason naming the code', () => {
        const c = classify('adf', { found: true, errors: [act({ code: '9876', message: 'Something odd happened' })] });
        assert.equal(c.errorClass, 'unknown');
        assert.equal(c.ruleId, 'none');
        assert.equal(c.retryable, null);
        assert.match(c.reason, /9876/);
        const none = classify('databricks', { found: false, errors: [] });
        assert.equal(none.errorClass, 'unknown');
        assert.match(none.reason, /not found/);
    });

    it('does not keep query strings of endpoints (they may carry keys)', () => {
        const message =
            "Error calling the endpoint 'https://h.example/p?code=SECRET'. Response status code: 'NA - Unknown'.";
        const c = classify('adf', { found: true, errors: [act({ code: '2108', message })] });
        assert.equal(c.extracted.endpoint, 'https://h.example/p');
        assert.doesNotMatch(JSON.stringify(c), /SECRET/);
    });
});
