import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Just enough of Bicep's syntax to check the templates without a compiler (none runs on these machines):
 * comments, strings with `${}` interpolation, declarations, and balanced `{}` / `[]` blocks.
 */

export const INFRA = join(__dirname, '..', '..', 'infra');

export interface BicepFile {
    path: string;
    /** Path relative to infra/, with forward slashes. */
    rel: string;
    text: string;
    /** The text with comments blanked out (same length, same line breaks). */
    code: string;
}

export interface Declaration {
    kind: 'param' | 'var' | 'output' | 'resource' | 'module' | 'type' | 'func';
    name: string;
    /** What follows the name on its line (type, resource type, module path, `= value`). */
    rest: string;
    /** Offset in `code` of the declaration's first character. */
    at: number;
    line: number;
    decorators: string[];
}

/** Index just past the string starting at `i` (a quote), following `${…}` interpolations. */
export function skipString(code: string, i: number): number {
    if (code.startsWith("'''", i)) {
        const end = code.indexOf("'''", i + 3);
        return end < 0 ? code.length : end + 3;
    }
    let j = i + 1;
    while (j < code.length) {
        const c = code[j];
        if (c === '\\') j += 2;
        else if (c === "'") return j + 1;
        else if (c === '$' && code[j + 1] === '{') j = skipExpression(code, j + 2);
        else j++;
    }
    return j;
}

function skipExpression(code: string, i: number): number {
    let depth = 1;
    let j = i;
    while (j < code.length) {
        const c = code[j];
        if (c === "'") {
            j = skipString(code, j);
            continue;
        }
        if (c === '{') depth++;
        if (c === '}' && --depth === 0) return j + 1;
        j++;
    }
    return j;
}

export function stripComments(text: string): string {
    const out = text.split('');
    const blank = (from: number, to: number) => {
        for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
    };
    let i = 0;
    while (i < text.length) {
        if (text[i] === "'") i = skipString(text, i);
        else if (text.startsWith('//', i)) {
            const end = text.indexOf('\n', i);
            blank(i, end < 0 ? text.length : end);
            i = end < 0 ? text.length : end;
        } else if (text.startsWith('/*', i)) {
            const end = text.indexOf('*/', i + 2);
            const stop = end < 0 ? text.length : end + 2;
            blank(i, stop);
            i = stop;
        } else i++;
    }
    return out.join('');
}

export function loadBicepFiles(dir = INFRA): BicepFile[] {
    const files: BicepFile[] = [];
    for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) files.push(...loadBicepFiles(path));
        else if (name.endsWith('.bicep')) {
            const text = readFileSync(path, 'utf8');
            files.push({ path, rel: relative(INFRA, path).split('\\').join('/'), text, code: stripComments(text) });
        }
    }
    return files;
}

export function lineOf(code: string, at: number): number {
    return code.slice(0, at).split('\n').length;
}

const DECLARATION = /^(param|var|output|resource|module|type|func)\s+([A-Za-z_]\w*)\b(.*)$/gm;

export function declarations(file: BicepFile): Declaration[] {
    const lines = file.code.split('\n');
    const found: Declaration[] = [];
    for (const m of file.code.matchAll(DECLARATION)) {
        const line = lineOf(file.code, m.index);
        const decorators: string[] = [];
        for (let l = line - 2; l >= 0 && /^\s*@/.test(lines[l] ?? ''); l--) decorators.unshift((lines[l] ?? '').trim());
        found.push({ kind: m[1] as Declaration['kind'], name: m[2]!, rest: m[3]!.trim(), at: m.index, line, decorators });
    }
    return found;
}

/** The balanced `{…}` or `[…]` block opening at or after `from`. */
export function blockFrom(code: string, from: number, open = '{'): { text: string; start: number; end: number } {
    const close = open === '{' ? '}' : ']';
    const start = code.indexOf(open, from);
    if (start < 0) throw new Error(`no ${open} after offset ${from}`);
    let depth = 0;
    let i = start;
    while (i < code.length) {
        const c = code[i];
        if (c === "'") {
            i = skipString(code, i);
            continue;
        }
        if (c === '{' || c === '[') depth++;
        if (c === '}' || c === ']') {
            depth--;
            if (depth === 0) {
                if (c !== close) throw new Error(`unbalanced ${open} at offset ${start}`);
                return { text: code.slice(start, i + 1), start, end: i + 1 };
            }
        }
        i++;
    }
    throw new Error(`unclosed ${open} at offset ${start}`);
}

function closingParen(code: string, from: number): number {
    let depth = 0;
    let i = from;
    while (i < code.length) {
        const c = code[i];
        if (c === "'") {
            i = skipString(code, i);
            continue;
        }
        if (c === '(') depth++;
        if (c === ')' && --depth === 0) return i + 1;
        i++;
    }
    return i;
}

export interface Entry {
    key: string;
    /** The value's source text (a whole nested block when the value is one). */
    value: string;
}

/** Keys and values directly inside an object block (`{ a: 1, b: { … } }`, one per line or comma-separated). */
export function entries(block: string): Entry[] {
    const inner = block.slice(1, -1);
    const result: Entry[] = [];
    let i = 0;
    while (i < inner.length) {
        const m = /^[\s,]*(?:'([^']+)'|([A-Za-z_$][\w$-]*))\s*:\s*/.exec(inner.slice(i));
        if (!m) break;
        const key = m[1] ?? m[2]!;
        let j = i + m[0].length;
        const valueStart = j;
        for (;;) {
            while (j < inner.length && inner[j] !== '\n' && inner[j] !== ',') {
                const c = inner[j];
                if (c === "'") j = skipString(inner, j);
                else if (c === '{' || c === '[') j = blockFrom(inner, j, c).end;
                else if (c === '(') j = closingParen(inner, j);
                else j++;
            }
            // A value may go on over the next lines (`cond\n ? a\n : b`).
            const next = /^\n\s*(\?|:|\|\||&&)/.exec(inner.slice(j));
            if (!next) break;
            j += next[0].length;
        }
        result.push({ key, value: inner.slice(valueStart, j).trim() });
        i = j;
    }
    return result;
}

/** The value of `key:` inside the block that starts at `from` (the block of a declaration, say). */
export function property(code: string, from: number, key: string): string | undefined {
    return entries(blockFrom(code, from).text).find((e) => e.key === key)?.value;
}

/** A plain single-quoted string literal's value, or undefined for anything computed. */
export function literal(value: string): string | undefined {
    const m = /^'((?:[^'\\$]|\\.|\$(?!\{))*)'$/.exec(value.trim());
    return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
}

/** String literals of an array value (`['a', 'b']`). */
export function literalItems(value: string): string[] {
    return [...value.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!);
}

export function file(files: BicepFile[], rel: string): BicepFile {
    const found = files.find((f) => f.rel === rel);
    if (!found) throw new Error(`infra/${rel} is missing`);
    return found;
}
