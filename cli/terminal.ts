/** Output for people on a terminal (progress, colours, ✔ ✘) and plain lines for pipes and logs. */

export interface OutputStream {
    write(chunk: string): unknown;
    isTTY?: boolean;
}

export type Status = 'pass' | 'fail' | 'skip' | 'warn';

export interface Terminal {
    /** True on a terminal: progress lines are drawn and replaced. */
    readonly interactive: boolean;
    line(text?: string): void;
    /** Shows "… label" until `done` replaces it (on a terminal); nothing when piped. */
    progress(label: string): { done(): void };
    /** `✔ name  detail` on a terminal, `PASS name: detail` when piped. */
    status(status: Status, name: string, detail: string): void;
    bold(text: string): string;
    dim(text: string): string;
    colour(status: Status, text: string): string;
}

const CODES: Record<Status | 'bold' | 'dim', [number, number]> = {
    pass: [32, 39],
    fail: [31, 39],
    skip: [33, 39],
    warn: [33, 39],
    bold: [1, 22],
    dim: [2, 22],
};
const MARKS: Record<Status, string> = { pass: '✔', fail: '✘', skip: '–', warn: '!' };

/** NO_COLOR wins; FORCE_COLOR (not "0") turns colours on in a pipe; otherwise colours follow the terminal. */
export function wantsColour(stream: OutputStream, env: Record<string, string | undefined>): boolean {
    if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
    if (env['FORCE_COLOR'] !== undefined) return env['FORCE_COLOR'] !== '0';
    return stream.isTTY === true && env['TERM'] !== 'dumb';
}

export function createTerminal(stream: OutputStream, env: Record<string, string | undefined> = {}): Terminal {
    const interactive = stream.isTTY === true && env['TERM'] !== 'dumb';
    const colours = wantsColour(stream, env);
    const paint = (kind: keyof typeof CODES, text: string) => {
        const [on, off] = CODES[kind];
        return colours ? `\u001b[${on}m${text}\u001b[${off}m` : text;
    };
    const term: Terminal = {
        interactive,
        line: (text = '') => void stream.write(`${text}\n`),
        progress(label) {
            if (!interactive) return { done() {} };
            stream.write(paint('dim', `… ${label}`));
            // Erase the whole line, cursor back to column 0: the result takes its place.
            return { done: () => void stream.write('\r\u001b[2K') };
        },
        status(status, name, detail) {
            if (interactive || colours) term.line(`${paint(status, MARKS[status])} ${paint('bold', name)}  ${detail}`);
            else term.line(`${status.toUpperCase()} ${name}: ${detail}`);
        },
        bold: (text) => paint('bold', text),
        dim: (text) => paint('dim', text),
        colour: (status, text) => paint(status, text),
    };
    return term;
}
