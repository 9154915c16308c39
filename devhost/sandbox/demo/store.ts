import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DemoStateSchema, type DemoState } from './snapshot';

export const DEMO_STATE_FILE = 'sandbox-demo.json';

/** The saved state, or undefined when there is none or it is unusable (then the demo starts fresh). */
export function loadDemoState(file: string): DemoState | undefined {
    let text: string;
    try {
        text = readFileSync(file, 'utf8');
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
    }
    let problem: string;
    try {
        const parsed = DemoStateSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
        const issue = parsed.error.issues[0];
        problem = `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
    } catch (err) {
        problem = (err as Error).message;
    }
    process.stderr.write(
        `sandbox: ignoring corrupt demo state ${file} (${problem}); starting fresh, it will be overwritten\n`,
    );
    return undefined;
}

/**
 * Writes the file so that a crash at any moment leaves either the old or the new content: the text goes to a
 * temporary file in the same folder, is flushed, then renamed over the target.
 */
export function writeFileAtomic(file: string, text: string): void {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
        writeSync(fd, text);
        fsyncSync(fd);
    } finally {
        closeSync(fd);
    }
    try {
        renameSync(tmp, file);
    } catch (err) {
        rmSync(tmp, { force: true });
        throw err;
    }
}

/** Saves the state whenever it differs from `initial` or the last write; call after every request. */
export function demoStateWriter(file: string, initial: DemoState): (state: DemoState) => void {
    let last = JSON.stringify(initial);
    return (state) => {
        const text = JSON.stringify(state);
        if (text === last) return;
        writeFileAtomic(file, text);
        last = text;
    };
}
