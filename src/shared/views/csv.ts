/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote (CSV injection). */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
    const cell = (value: unknown): string => {
        if (value === undefined || value === null) return '';
        let text = typeof value === 'string' ? value
            : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value)
            : JSON.stringify(value);
        if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
        return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
