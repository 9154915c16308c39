const R = '[REDACTED]';

const SECRET_KEYS = [
    'AccountKey',
    'SharedAccessKey',
    'SharedAccessSignature',
    'Password',
    'Pwd',
    'Client_?Secret',
    'Api_?Key',
    'Access_?Token',
    'Refresh_?Token',
].join('|');

const RULES: ReadonlyArray<[RegExp, string]> = [
    // scheme://user:password@host: the whole userinfo goes (user names are often personal data too).
    [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:'"]+:[^\s/@'"]+@/gi, `$1${R}@`],
    // SAS signature (query string or SharedAccessSignature=...&sig=...).
    [/\bsig=[^&\s'";,]+/gi, `sig=${R}`],
    // key=value pairs of connection strings and query strings.
    [new RegExp(`\\b(${SECRET_KEYS})(\\s*=\\s*)("[^"]*"|'[^']*'|[^;&\\s'",]+)`, 'gi'), `$1$2${R}`],
    // "password": "..." in JSON-ish text.
    [new RegExp(`("(?:${SECRET_KEYS}|secret|token)"\\s*:\\s*)"[^"]*"`, 'gi'), `$1"${R}"`],
    [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${R}`],
    [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, R],
    [/\bdapi[a-f0-9]{32}(-\d+)?\b/g, R],
    [/\bAIza[0-9A-Za-z_-]{35}\b/g, R],
    [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, '[EMAIL]'],
];

/** Removes secrets (SAS signatures, keys, passwords, bearer tokens) and e-mail addresses from free text. */
export function redact(text: string): string {
    let out = text;
    for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
    return out;
}
