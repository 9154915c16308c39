import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { ConfigError, loadConfig } from '../src/shared/config';
import { buildDeps } from '../src/shared/deps';
import { FailureDetailsSchema } from '../src/shared/domain';
import { doctor } from './doctor';
import { replayAlert } from './replay';
import { printReport } from './replayText';
import { send } from './send';
import { loadSettings } from './settings';
import { createTerminal, type OutputStream } from './terminal';

export const USAGE = `Usage: npx autoheal <command> [options]

Commands:
  send FILE [--url URL] [--key KEY]   post a recorded alert (default: the running devhost from npm start)
  replay FILE [--details FILE]        dry run: intake, failure lookup, classification and policy; prints what
                                      would happen, writes nothing, starts nothing
  doctor                              validate the configuration and reach every configured dependency

Options:
  --settings FILE   settings to use: a local.settings.json or KEY=value lines (azd env get-values)
                    (default: the environment, then local.settings.json)
  --details FILE    replay: FailureDetails JSON to use instead of asking ADF or Databricks
  --max N           replay: runs to replay from one alert (default 20)
  --json            replay: print the report as JSON
  --timeout MS      doctor: per-dependency timeout (default 5000)
  -h, --help        this text

Exit status: 0 done (doctor: all reachable), 1 a failure was found, 2 the command could not run.`;

export interface Io {
    out: OutputStream;
    err: OutputStream;
    env: Record<string, string | undefined>;
}

const OPTIONS = {
    url: { type: 'string' },
    key: { type: 'string' },
    settings: { type: 'string' },
    details: { type: 'string' },
    max: { type: 'string' },
    json: { type: 'boolean', default: false },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
} as const;

function positiveInt(value: string | undefined, name: string, fallback: number): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name}: expected a positive integer, got "${value}"`);
    return n;
}

class UsageError extends Error {}

function readDetails(path: string) {
    const parsed = FailureDetailsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
        throw new UsageError(`--details ${path} is not FailureDetails: ${issues}`);
    }
    return parsed.data;
}

async function dispatch(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
    const term = createTerminal(io.out, io.env);
    const [command, file, ...extra] = positionals;
    if (values.help || !command) {
        term.line(USAGE);
        return command || values.help ? 0 : 2;
    }
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const needFile = () => {
        if (!file) throw new UsageError(`${command} needs an alert FILE`);
        return file;
    };
    const settings = () => loadSettings(io.env, values.settings);
    switch (command) {
        case 'send':
            return send({ file: needFile(), url: values.url, key: values.key }, term);
        case 'replay': {
            const text = readFileSync(needFile(), 'utf8');
            const given = settings().values;
            // Replay never touches storage; a placeholder keeps the schema's storage rule from refusing offline use.
            const hasStorage = given['STORAGE_CONNECTION_STRING'] || given['STORAGE_ACCOUNT_NAME'];
            const config = loadConfig(hasStorage ? given : { ...given, STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' });
            const details = values.details ? readDetails(values.details) : undefined;
            const app = buildDeps(config);
            const report = await replayAlert(text, { config, details, adf: app.adf, databricks: app.databricks, now: () => new Date() }, { max: positiveInt(values.max, 'max', 20) });
            if (values.json) term.line(JSON.stringify(report, null, 2));
            else printReport(report, config, term);
            const failed = report.kind === 'invalid' || (report.kind === 'failures' && report.tickets.some((t) => t.fetchError));
            return failed ? 1 : 0;
        }
        case 'doctor': {
            const loaded = settings();
            return doctor(loaded.values, term, { timeoutMs: positiveInt(values.timeout, 'timeout', 5000), source: loaded.source });
        }
        default:
            throw new UsageError(`unknown command "${command}"`);
    }
}

/** The CLI, with its streams and environment passed in (tests run it in-process). */
export async function run(args: string[], io: Io): Promise<number> {
    try {
        return await dispatch(args, io);
    } catch (e) {
        const message = e instanceof ConfigError || e instanceof UsageError || e instanceof Error ? e.message : String(e);
        io.err.write(`autoheal: ${message}\n`);
        if (e instanceof UsageError || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') io.err.write('Run `npx autoheal --help` for usage.\n');
        return 2;
    }
}
