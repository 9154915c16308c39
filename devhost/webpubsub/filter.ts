/** The fields the service lets an OData `filter` test. */
export interface FilterSubject {
    connectionId: string;
    userId?: string;
    groups: Set<string>;
}

export type FilterFn = (s: FilterSubject) => boolean;
type Value = string | null | Set<string>;
type ValueFn = (s: FilterSubject) => Value;

/**
 * Compiles the subset of the service's OData filter syntax a dev hub needs: `userId`, `connectionId`, `groups`,
 * string literals, `null`, `eq`, `ne`, `in` (`'g' in groups`), `and`, `or`, `not` and parentheses.
 * Throws SyntaxError on anything else so a caller never broadcasts to the wrong audience.
 */
export function compileFilter(text: string): FilterFn {
    const tokens = tokenize(text);
    let pos = 0;
    const peek = (): string | undefined => tokens[pos];
    const take = (): string => {
        const t = tokens[pos++];
        if (t === undefined) throw new SyntaxError('Unexpected end of filter');
        return t;
    };
    const keyword = (word: string): boolean => {
        if (peek()?.toLowerCase() !== word) return false;
        pos++;
        return true;
    };

    const value = (): ValueFn => {
        const t = take();
        if (t.startsWith("'")) {
            const literal = t.slice(1, -1).replace(/''/g, "'");
            return () => literal;
        }
        if (t === 'null') return () => null;
        if (t === 'userId') return (s) => s.userId ?? null;
        if (t === 'connectionId') return (s) => s.connectionId;
        if (t === 'groups') return (s) => s.groups;
        throw new SyntaxError(`Unsupported filter term: ${t}`);
    };
    const primary = (): FilterFn => {
        if (peek() === '(') {
            pos++;
            const inner = or();
            if (take() !== ')') throw new SyntaxError('Expected )');
            return inner;
        }
        const left = value();
        const op = take().toLowerCase();
        const right = value();
        if (op === 'eq') return (s) => left(s) === right(s);
        if (op === 'ne') return (s) => left(s) !== right(s);
        if (op === 'in') {
            return (s) => {
                const l = left(s);
                const r = right(s);
                return typeof l === 'string' && r instanceof Set && r.has(l);
            };
        }
        throw new SyntaxError(`Unsupported filter operator: ${op}`);
    };
    const unary = (): FilterFn => {
        if (keyword('not')) {
            const inner = unary();
            return (s) => !inner(s);
        }
        return primary();
    };
    const and = (): FilterFn => {
        let left = unary();
        while (keyword('and')) {
            const l = left;
            const r = unary();
            left = (s) => l(s) && r(s);
        }
        return left;
    };
    const or = (): FilterFn => {
        let left = and();
        while (keyword('or')) {
            const l = left;
            const r = and();
            left = (s) => l(s) || r(s);
        }
        return left;
    };

    const fn = or();
    if (pos !== tokens.length) throw new SyntaxError(`Unexpected filter token: ${peek()}`);
    return fn;
}

function tokenize(text: string): string[] {
    const tokens: string[] = [];
    const re = /\s*(?:('(?:[^']|'')*')|([()])|([A-Za-z_][A-Za-z0-9_]*))/y;
    let rest = text.trim();
    while (rest.length > 0) {
        re.lastIndex = 0;
        const m = re.exec(rest);
        if (!m) throw new SyntaxError('Invalid filter syntax');
        tokens.push(m[1] ?? m[2] ?? m[3] ?? '');
        rest = rest.slice(m[0].length).trimStart();
    }
    return tokens;
}
