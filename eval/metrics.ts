import type { ErrorClass } from '../src/shared/domain';

export interface DecisionRow {
    name: string;
    n: number;
    reruns: number;
    tp: number;
    fp: number;
    fn: number;
    /** Of the reruns decided, the share that the labels call for; null when nothing was rerun. */
    precision: number | null;
    /** Of the failures a rerun was right for, the share rerun. */
    recall: number | null;
    calls?: number;
    tokens?: number;
    /** Entries rerun against their label. */
    falsePositives: string[];
}

export interface ClassRow {
    cls: ErrorClass;
    support: number;
    predicted: number;
    correct: number;
    precision: number | null;
    recall: number | null;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

export function decisionRow(
    name: string,
    outcomes: { id: string; label: boolean; rerun: boolean }[],
    spent?: { calls: number; tokens: number },
): DecisionRow {
    const tp = outcomes.filter((o) => o.rerun && o.label).length;
    const fpIds = outcomes.filter((o) => o.rerun && !o.label).map((o) => o.id);
    const fn = outcomes.filter((o) => !o.rerun && o.label).length;
    return {
        name,
        n: outcomes.length,
        reruns: tp + fpIds.length,
        tp,
        fp: fpIds.length,
        fn,
        precision: ratio(tp, tp + fpIds.length),
        recall: ratio(tp, tp + fn),
        ...spent,
        falsePositives: fpIds,
    };
}

export function classRows(pairs: { label: ErrorClass; predicted: ErrorClass }[]): ClassRow[] {
    const classes = [...new Set(pairs.flatMap((p) => [p.label, p.predicted]))].sort();
    return classes.map((cls) => {
        const support = pairs.filter((p) => p.label === cls).length;
        const predicted = pairs.filter((p) => p.predicted === cls).length;
        const correct = pairs.filter((p) => p.label === cls && p.predicted === cls).length;
        const precision = ratio(correct, predicted);
        return { cls, support, predicted, correct, precision, recall: ratio(correct, support) };
    });
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));

/** A plain-text table, columns padded to their widest cell. */
export function table(headers: string[], rows: (string | number)[][]): string {
    const cells = [headers, ...rows.map((r) => r.map(String))];
    const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
    const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function classTable(rows: ClassRow[]): string {
    return table(
        ['class (rules)', 'labelled', 'predicted', 'correct', 'precision', 'recall'],
        rows.map((r) => [r.cls, r.support, r.predicted, r.correct, fmt(r.precision), fmt(r.recall)]),
    );
}

export function decisionTable(rows: DecisionRow[], withSpend: boolean): string {
    const headers = ['decision path', 'failures', 'reruns', 'right', 'wrong', 'missed', 'precision', 'recall'];
    if (withSpend) headers.push('model calls', 'tokens');
    return table(
        headers,
        rows.map((r) => {
            const base = [r.name, r.n, r.reruns, r.tp, r.fp, r.fn, fmt(r.precision), fmt(r.recall)];
            return withSpend ? [...base, r.calls ?? 0, r.tokens ?? 0] : base;
        }),
    );
}
