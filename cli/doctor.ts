import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';

import { CONFIG_KEYS, type Config, loadConfig } from '../src/shared/config';
import { redact } from '../src/shared/clients/redact';
import type { Check, CheckResult } from './check';
import { checksFor } from './checks';
import type { Status, Terminal } from './terminal';

export interface DoctorOptions {
    /** Per dependency: a probe still waiting after this long fails. */
    timeoutMs?: number;
    credential?: () => TokenCredential;
    fetch?: typeof fetch;
    /** Where the settings came from (shown on the configuration line). */
    source?: string;
}

const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(/i;

function hint(message: string): string {
    if (/→ 40[13]\b|\b40[13]\b.*(Unauthorized|Forbidden|AuthorizationFailure)/i.test(message)) {
        return `${message} (check the identity's role assignment or the key)`;
    }
    return message;
}

/** Runs one probe with its own deadline; a hung credential or socket cannot hold the others up. */
async function runCheck(check: Check, timeoutMs: number): Promise<CheckResult> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => {
            controller.abort();
            resolve({ status: 'fail', detail: `no answer within ${timeoutMs} ms` });
        }, timeoutMs);
    });
    try {
        return await Promise.race([check.run(controller.signal), timeout]);
    } catch (e) {
        const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
        return { status: 'fail', detail: hint(redact(message)) };
    } finally {
        clearTimeout(timer);
    }
}

/** Settings that still hold a Key Vault reference: the app would read the reference text as the value. */
function unresolvedReferences(values: Record<string, string>): string[] {
    return CONFIG_KEYS.filter((k) => KEY_VAULT_REFERENCE.test(values[k] ?? ''));
}

/** Validates the configuration, then reaches every configured dependency: one pass/fail line each. */
export async function doctor(values: Record<string, string>, term: Terminal, opts: DoctorOptions = {}): Promise<number> {
    const counts: Record<Status, number> = { pass: 0, fail: 0, skip: 0, warn: 0 };
    const report = (status: Status, name: string, detail: string) => {
        counts[status]++;
        term.status(status, name, detail);
    };
    let config: Config;
    try {
        config = loadConfig(values);
    } catch (e) {
        report('fail', 'configuration', redact((e as Error).message));
        return 1;
    }
    const refs = unresolvedReferences(values);
    if (refs.length > 0) report('fail', 'configuration', `Key Vault reference not resolved for ${refs.join(', ')}: run doctor with the resolved values`);
    else report('pass', 'configuration', `valid${opts.source ? ` (${opts.source})` : ''}`);

    let credential: TokenCredential | undefined;
    const timeoutMs = opts.timeoutMs ?? 5000;
    const probes = { timeoutMs, fetch: opts.fetch, credential: opts.credential ?? (() => (credential ??= new DefaultAzureCredential())) };
    for (const check of checksFor(config, probes)) {
        const progress = term.progress(check.name);
        const result = await runCheck(check, timeoutMs);
        progress.done();
        report(result.status, check.name, result.detail);
    }
    term.line();
    const summary = `Summary: ${counts.pass} ok, ${counts.fail} failing, ${counts.warn} warning(s), ${counts.skip} not configured`;
    term.line(counts.fail > 0 ? term.colour('fail', summary) : term.colour('pass', summary));
    return counts.fail > 0 ? 1 : 0;
}
