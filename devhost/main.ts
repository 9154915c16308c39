import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { PROJECT_ROOT, startDevHost } from './host';
import { firstStartAdmin, localAuthEnv } from './localAuth';

const USAGE = `Usage: npm start [-- --data DIR] [--port N] [--no-sandbox]

Runs Pipeline Autoheal on the embedded local runtime: the real function code, Durable Functions replay on
Azurite, a local Web PubSub hub, and sandbox ADF / Databricks services that fail believably.
  --data DIR     keep storage, keys and sandbox state in DIR (survives restarts); in memory otherwise
  --port N       HTTP port (default 7071)
  --no-sandbox   call the ADF, Databricks and Gemini endpoints configured in the environment instead`;

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            data: { type: 'string' },
            port: { type: 'string', default: '7071' },
            'no-sandbox': { type: 'boolean', default: false },
            help: { type: 'boolean', default: false },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return;
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected a port number, got "${values.port}"`);
    const t0 = Date.now();
    const host = await startDevHost({
        dataDir: values.data,
        port,
        sandbox: values['no-sandbox'] ? { mode: 'none' } : { mode: 'demo' },
        env: {
            POLL_INTERVAL_SECONDS: process.env['POLL_INTERVAL_SECONDS'] ?? '5',
            RETRY_BASE_DELAY_SECONDS: process.env['RETRY_BASE_DELAY_SECONDS'] ?? '5',
            CAPACITY_RETRY_DELAY_SECONDS: process.env['CAPACITY_RETRY_DELAY_SECONDS'] ?? '15',
            // The local admin can create accounts in the local admin's own domain.
            AUTH_EMAIL_DOMAINS: process.env['AUTH_EMAIL_DOMAINS'] ?? 'autoheal.local',
            ...(process.env['GEMINI_API_KEY'] ? {} : { GEMINI_API_KEY: '' }),
            ...localAuthEnv(values.data),
        },
    });
    const admin = await firstStartAdmin(values.data);
    const key = encodeURIComponent(host.functionKey);
    const sandbox = host.sandbox?.baseUrl;
    console.log(`
Pipeline Autoheal is running on the embedded runtime (started in ${Date.now() - t0} ms; ${host.functions.length} functions).

  Dashboard        ${host.url}/api/dashboard
  Sign in          ${admin ?? 'with a local account (the first admin was created and shown at first start)'}
  Alert webhooks   POST ${host.url}/api/alerts/azure-monitor?code=${key}
                   POST ${host.url}/api/alerts/databricks?code=${key}
  Ticket API       GET  ${host.url}/api/tickets  (Authorization: Bearer <token from POST /api/auth/login>)
  API docs         ${host.url}/api/dashboard/docs.html
  Function key     ${host.functionKey}
  Storage          ${values.data ? `Azurite, persisted in ${values.data}` : 'Azurite, in memory (use --data DIR to keep it)'}
  Analysis         ${process.env['GEMINI_API_KEY'] ? `Gemini (${process.env['GEMINI_MODEL'] ?? 'gemini-2.5-flash'})` : 'deterministic rules (set GEMINI_API_KEY to use Gemini)'}
${sandbox ? `
Fire the sample alert (Log Alerts V2 for a failed ADF run the sandbox knows; a transient 2108 it can heal):
  curl -s -X POST -H 'content-type: application/json' --data @test/fixtures/sample-alerts/adf-log-alert.json \\
       '${host.url}/api/alerts/azure-monitor?code=${key}'

Or make the sandbox fail a pipeline for real and post the alert it produces (npm run alert -- NAME):
  npm run --silent alert -- pl_flaky_partner_api      # transient 2108: healed by a recovery rerun
  npm run --silent alert -- pl_copy_landing           # missing source file: escalated to a person
  npm run --silent alert -- nightly_orders_silver     # Databricks cloud capacity failure: repaired
  npm run --silent alert -- test/fixtures/sample-alerts/databricks-on-failure.json
  (sandbox ADF/Databricks/Gemini at ${sandbox})
` : ''}
Press Ctrl+C to stop.`);
    // Where `npm run alert` finds this host (a local file, git-ignored; the key is the local devhost's own).
    mkdirSync(join(PROJECT_ROOT, '.devhost'), { recursive: true });
    writeFileSync(join(PROJECT_ROOT, '.devhost', 'endpoints.json'), JSON.stringify({ url: host.url, functionKey: host.functionKey, sandbox }), { mode: 0o600 });
    const stop = () => {
        console.log('\nStopping…');
        void host.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
    console.error(`devhost failed to start: ${(e as Error).message}`);
    process.exit(1);
});
