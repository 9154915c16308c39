const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * JSON.parse, except that integer literals of 16 or more digits become strings, so ids above 2^53
 * (Databricks run and job ids) stay exact. Smaller numbers stay numbers.
 */
export function parseJsonLossless(text: string): unknown {
    let out = '';
    let copied = 0;
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === '"') {
            i++;
            while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
            i++;
        } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
            NUMBER.lastIndex = i;
            const m = NUMBER.exec(text);
            if (!m) return JSON.parse(text); // let JSON.parse report the syntax error
            const literal = m[0];
            if (!m[1] && !m[2] && literal.replace('-', '').length >= 16) {
                out += `${text.slice(copied, i)}"${literal}"`;
                copied = i + literal.length;
            }
            i += literal.length;
        } else {
            i++;
        }
    }
    return JSON.parse(out + text.slice(copied));
}

/** A decimal id from a number or string field; undefined when absent or not an unsigned integer. */
export function idString(value: unknown): string | undefined {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
    if (typeof value === 'string' && /^\d+$/.test(value)) return value;
    return undefined;
}
