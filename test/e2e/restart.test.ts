import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

import type { AuditEvent, Ticket } from '../../src/shared/domain';
import { login } from './support/auth';

const ROOT = resolve(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
    return new Promise((resolvePort) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
            const { port } = server.address() as { port: number };
            server.close(() => resolvePort(port));
        });
    });
}

/** Starts `npm start`'s program as its own process and reads the URLs it prints. */
interface Host {
    child: ChildProcess;
    url: string;
    key: string;
    sandbox: string;
    /** The one-time local admin credential, printed at the first start on a data folder only. */
    admin?: { email: string; password: string };
}

function startHost(dataDir: string, port: number): Promise<Host> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'devhost', 'main.ts'), '--data', dataDir, '--port', String(port)], {
        cwd: ROOT,
        env: { ...process.env, POLL_INTERVAL_SECONDS: '2', RETRY_BASE_DELAY_SECONDS: '1', GEMINI_API_KEY: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    return new Promise((resolveHost, reject) => {
        const timer = setTimeout(() => reject(new Error(`devhost did not start: ${out}`)), 60_000);
        child.stdout!.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const url = /Ticket API\s+GET\s+(http:\/\/[^/]+)\/api\/tickets/.exec(out)?.[1];
            const key = /Function key\s+(\S+)/.exec(out)?.[1];
            const sandbox = /sandbox ADF\/Databricks\/Gemini at (\S+)\)/.exec(out)?.[1];
            if (url && key && sandbox && out.includes('Press Ctrl+C')) {
                clearTimeout(timer);
                const admin = /Sign in\s+(\S+@\S+)\s+password (\S+)/.exec(out);
                resolveHost({ child, url, key, sandbox, ...(admin ? { admin: { email: admin[1]!, password: admin[2]! } } : {}) });
            }
        });
        child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('exit', (code) => reject(new Error(`devhost exited ${code}: ${out}`)));
    });
}

describe('a devhost killed in the middle of a poll', () => {
    const children: ChildProcess[] = [];
    after(() => children.forEach((c) => c.kill('SIGKILL')));

    it('finishes the remediation after a restart on the same --data folder, with exactly one rerun', async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'autoheal-restart-'));
        const port = await freePort();
        const first = await startHost(dataDir, port);
        children.push(first.child);
        assert.ok(first.admin, 'the first start prints a local admin credential');
        const { email, password } = first.admin;
        assert.deepEqual(JSON.parse(readFileSync(join(dataDir, 'local-admin.json'), 'utf8')), { email, password }, 'and keeps it in the data folder');
        const get = async (host: Host, id: string) => {
            const token = await login(host.url, email, password);
            const res = await fetch(`${host.url}/api/tickets/${id}`, { headers: { authorization: `Bearer ${token}` } });
            return res.status === 200 ? ((await res.json()) as { ticket: Ticket; timeline: AuditEvent[] }) : undefined;
        };

        const made = (await (await fetch(`${first.sandbox}/sandbox/adf/fail/pl_flaky_partner_api`, { method: 'POST' })).json()) as { runId: string; alert: unknown };
        const accepted = await fetch(`${first.url}/api/alerts/azure-monitor`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-functions-key': first.key },
            body: JSON.stringify(made.alert),
        });
        assert.equal(accepted.status, 202);
        const { ticketId } = (await accepted.json()) as { ticketId: string };

        // Wait until the rerun is being polled, then kill the host without warning.
        for (let i = 0; ; i++) {
            const t = await get(first, ticketId);
            if (t?.timeline.some((e) => e.type === 'run_state')) break;
            assert.ok(i < 240, 'the rerun was never polled');
            await sleep(250);
        }
        await sleep(500);
        first.child.kill('SIGKILL');
        await new Promise((r) => first.child.once('exit', r));

        const second = await startHost(dataDir, port);
        children.push(second.child);
        assert.equal(second.admin, undefined, 'the credential is shown once, at the first start only');
        let final: { ticket: Ticket; timeline: AuditEvent[] } | undefined;
        for (let i = 0; ; i++) {
            final = await get(second, ticketId);
            if (final && ['auto_healed', 'escalated'].includes(final.ticket.status)) break;
            assert.ok(i < 360, `the remediation did not finish after the restart: ${JSON.stringify(final?.ticket.status)}`);
            await sleep(250);
        }
        assert.equal(final!.ticket.status, 'auto_healed');
        assert.equal(final!.ticket.rerunRunIds.length, 1);
        assert.equal(final!.timeline.filter((e) => e.type === 'rerun_started').length, 1);
        const state = JSON.parse(readFileSync(join(dataDir, 'sandbox-demo.json'), 'utf8')) as { adf: { runs: { runId: string; runGroupId: string }[] } };
        const group = state.adf.runs.filter((r) => r.runGroupId === made.runId);
        assert.equal(group.length, 2, 'the failed run and exactly one recovery rerun exist in ADF');
    });
});
