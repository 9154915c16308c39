import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact } from '../../../../src/shared/clients/redact';

describe('redact', () => {
    const cases: Array<[string, string, string]> = [
        [
            'SAS signature',
            'GET https://acct.blob.core.windows.net/c/f.csv?sv=2022-11-02&se=2025-03-15&sp=r&sig=AbC%2Bdef123%3D&spr=https failed',
            'GET https://acct.blob.core.windows.net/c/f.csv?sv=2022-11-02&se=2025-03-15&sp=r&sig=[REDACTED]&spr=https failed',
        ],
        [
            'storage account key in a connection string',
            'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=q1w2e3r4t5y6+/u7i8o9p0==;EndpointSuffix=core.windows.net',
            'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[REDACTED];EndpointSuffix=core.windows.net',
        ],
        [
            'SQL connection string password',
            "Server=tcp:db.example.net,1433;User ID=etl;Password='s3cr3t;pw';Encrypt=True",
            'Server=tcp:db.example.net,1433;User ID=etl;Password=[REDACTED];Encrypt=True',
        ],
        [
            'service bus shared access key',
            'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abcDEF123/+=',
            'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=[REDACTED]',
        ],
        [
            'bearer token',
            'Authorization: Bearer abc.DEF-123_x~y+z/w== rejected',
            'Authorization: Bearer [REDACTED] rejected',
        ],
        ['basic credentials', 'header Basic dXNlcjpwYXNzd29yZA== sent', 'header Basic [REDACTED] sent'],
        [
            'password in a URL',
            'connect to sftp://loader:Pa55:w0rd@sftp.example.net:22/in',
            'connect to sftp://[REDACTED]@sftp.example.net:22/in',
        ],
        ['e-mail address', 'Row 4411: customer-4411@example.org complained', 'Row 4411: [EMAIL] complained'],
        ['JSON password field', '{"user":"etl","password":"hunter2"}', '{"user":"etl","password":"[REDACTED]"}'],
        ['JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature-1 expired', 'token [REDACTED] expired'],
        ['Databricks PAT', 'used dapi0123456789abcdef0123456789abcdef-2 here', 'used [REDACTED] here'],
    ];
    for (const [kind, input, expected] of cases) {
        it(`removes a ${kind}`, () => assert.equal(redact(input), expected));
    }

    it('leaves ordinary error text alone', () => {
        const text =
            "ErrorCode=UserErrorSourceBlobNotExists, ContainerName: landing, path: landing/sales/2025/03/14/. Response status code: 'NA - Unknown'.";
        assert.equal(redact(text), text);
    });

    it('is idempotent', () => {
        const once = redact('sig=abc AccountKey=xyz Bearer t0k3n a@b.io https://u:p@h/');
        assert.equal(redact(once), once);
    });
});
