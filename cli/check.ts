import type { TokenCredential } from '@azure/identity';

import type { Status } from './terminal';

export interface CheckResult {
    status: Status;
    detail: string;
}

export interface Check {
    name: string;
    run(signal: AbortSignal): Promise<CheckResult>;
}

export interface ProbeOptions {
    timeoutMs: number;
    /** Identity for settings without keys (managed identity in Azure, `az login` on a workstation). */
    credential: () => TokenCredential;
    fetch?: typeof fetch;
}

export const pass = (detail: string): CheckResult => ({ status: 'pass', detail });
export const skip = (detail: string): CheckResult => ({ status: 'skip', detail });
