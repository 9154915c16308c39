import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless as root on a closed network: no sandbox, and nothing that phones home. */
export const CHROMIUM_ARGS: readonly string[] = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];

const missing = (path: string): string => `${path} is missing; run scripts/install-chromium.sh`;

/**
 * Why the browser tests cannot run here, for `describe(name, { skip })`; undefined when they can.
 * Under CI a missing browser is a failure, never a skip, so this throws there.
 */
export function browserSkipReason(path = CHROMIUM_PATH): string | undefined {
    if (existsSync(path)) return undefined;
    if (process.env.CI) throw new Error(`${missing(path)} (CI is set, so the browser tests fail rather than skip)`);
    return `skipped: ${missing(path)}`;
}

/** Launches Debian's chromium through playwright-core; throws with the install hint when it is absent. */
export async function launchBrowser(): Promise<Browser> {
    if (!existsSync(CHROMIUM_PATH)) throw new Error(missing(CHROMIUM_PATH));
    return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
