import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..');

export interface Settings {
    values: Record<string, string>;
    /** Where the values came from, for people reading the output. */
    source: string;
}

/** `KEY=value` lines as `azd env get-values` prints them (double quotes with escapes, single quotes, bare). */
export function parseDotenv(text: string): Record<string, string> {
    const values: Record<string, string> = {};
    for (const raw of text.split(/\r?\n/)) {
        const m = /^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*?)\s*$/.exec(raw);
        if (!m || raw.trimStart().startsWith('#')) continue;
        let value = m[2]!;
        if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
            value = value.slice(1, -1).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
        } else if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) {
            value = value.slice(1, -1);
        }
        values[m[1]!] = value;
    }
    return values;
}

/** A local.settings.json (its `Values`) or a dotenv file. */
export function readSettingsFile(path: string): Record<string, string> {
    const text = readFileSync(path, 'utf8');
    if (text.trimStart().startsWith('{')) {
        const json = JSON.parse(text) as { Values?: Record<string, unknown> };
        const values = json.Values ?? json;
        return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
    return parseDotenv(text);
}

/**
 * The settings to check or replay with. An explicit file wins over the environment (it is what the operator asked
 * for); otherwise local.settings.json, when present, fills in what the environment does not set, as Core Tools does.
 */
export function loadSettings(env: Record<string, string | undefined>, file?: string, root = PROJECT_ROOT): Settings {
    const defined = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
    if (file) return { values: { ...defined, ...readSettingsFile(file) }, source: `${file} over the environment` };
    const local = join(root, 'local.settings.json');
    if (existsSync(local)) return { values: { ...readSettingsFile(local), ...defined }, source: 'the environment over local.settings.json' };
    return { values: defined, source: 'the environment' };
}
