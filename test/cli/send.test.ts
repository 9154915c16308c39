import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { send } from '../../cli/send';
import { createTerminal } from '../../cli/terminal';
import { capture, cli, fakeServer, json, tempFile } from './support';

// 64-bit ids above 2^53: they must reach the receiver exactly as recorded.
const DATABRICKS = '{"event_type":"jobs.on_failure","workspace_id":5550001112223334,"run":{"run_id":9007199254740993},"job":{"job_id":9007199254740995,"name":"nightly"}}';
const ROOT = join(__dirname, '..', '..');

describe('npx autoheal send', () => {
    let server: Awaited<ReturnType<typeof fakeServer>>;

    before(async () => {
        server = await fakeServer((req, res) => {
            if (req.headers['x-functions-key'] !== 'the-key' && !req.url.includes('code=the-key')) return json(res, 401, {});
            json(res, 202, { status: 'accepted', ticketId: 'dbx-1' });
        });
    });
    after(() => server.close());

    it('posts the file as recorded to the receiver its body calls for, with the key in a header, never printing the key', async () => {
        server.requests.length = 0;
        const { code, out } = await cli(['send', tempFile('dbx.json', DATABRICKS), '--url', server.url, '--key', 'the-key']);
        assert.equal(code, 0, out);
        const req = server.requests[0]!;
        assert.equal(req.method, 'POST');
        assert.equal(req.url, '/api/alerts/databricks');
        assert.equal(req.body, DATABRICKS);
        assert.equal(req.headers['content-type'], 'application/json');
        assert.match(out, /^PASS 202: http:\/\/127\.0\.0\.1:\d+\/api\/alerts\/databricks in \d+ ms$/m);
        assert.match(out, /"ticketId": "dbx-1"/);
        assert.ok(!out.includes('the-key'));
    });

    it('sends an Azure Monitor body to the azure-monitor receiver, and keeps a full webhook URL (and its code) as given', async () => {
        server.requests.length = 0;
        const file = 'test/fixtures/sample-alerts/adf-log-alert.json';
        assert.equal((await cli(['send', file, '--url', server.url, '--key', 'the-key'])).code, 0);
        const { code, out } = await cli(['send', file, '--url', `${server.url}/api/alerts/azure-monitor?code=the-key`]);
        assert.equal(code, 0);
        assert.deepEqual(server.requests.map((r) => r.url), ['/api/alerts/azure-monitor', '/api/alerts/azure-monitor?code=the-key']);
        assert.equal(server.requests[1]!.body, readFileSync(join(ROOT, file), 'utf8'));
        assert.match(out, /azure-monitor \(query hidden\)/);
        assert.ok(!out.includes('code=the-key'));
    });

    it('defaults to the running devhost and its key, as npm run alert does', async () => {
        server.requests.length = 0;
        const endpointsFile = tempFile('endpoints.json', { url: server.url, functionKey: 'the-key' });
        const out = capture();
        const code = await send({ file: tempFile('dbx.json', DATABRICKS), endpointsFile }, createTerminal(out.stream));
        assert.equal(code, 0, out.text);
        assert.equal(server.requests[0]?.headers['x-functions-key'], 'the-key');
        assert.equal(server.requests[0]?.url, '/api/alerts/databricks');
    });

    it('says when no devhost runs, and exits 1 with a hint on 401', async () => {
        const missing = tempFile('none.txt', '');
        await assert.rejects(
            send({ file: tempFile('a.json', DATABRICKS), endpointsFile: `${missing}.absent` }, createTerminal(capture().stream)),
            /no running devhost found: start it with `npm start` first/,
        );
        const { code, out } = await cli(['send', tempFile('dbx.json', DATABRICKS), '--url', server.url]);
        assert.equal(code, 1);
        assert.match(out, /^FAIL 401: /m);
        assert.match(out, /pass --key/);
    });
});

describe('the autoheal bin', () => {
    it('is declared in package.json and runs from a checkout (npx autoheal)', () => {
        const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
        assert.equal(pkg.bin?.['autoheal'], 'cli/autoheal.js');
        const res = spawnSync(process.execPath, [join(ROOT, 'cli', 'autoheal.js'), 'frobnicate'], { encoding: 'utf8' });
        assert.equal(res.status, 2);
        assert.match(res.stderr, /autoheal: unknown command "frobnicate"/);
        const help = spawnSync(process.execPath, [join(ROOT, 'cli', 'autoheal.js'), '--help'], { encoding: 'utf8' });
        assert.equal(help.status, 0);
        assert.match(help.stdout, /^Usage: npx autoheal <command>/);
    });
});
