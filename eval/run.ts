import { classify } from '../src/shared/classifier';
import { createAnalyst } from '../src/shared/clients/analyst';
import { createGeminiProvider } from '../src/shared/clients/gemini';
import type { AnalysisResult, Classification, FailureDetails, FailureSignal } from '../src/shared/domain';
import { decide } from '../src/shared/policy';
import type { RcaModel } from '../src/shared/ports';
import { rulesAnalysis } from '../src/shared/rulesAnalysis';
import { type CorpusEntry, loadCorpus, loadPersonas, repliesFor } from './data';
import { type ClassRow, classRows, classTable, type DecisionRow, decisionRow, decisionTable } from './metrics';
import { GeminiStandIn } from './standIn';

/** The corpus is judged at one fixed moment, so waits the errors name ("blocked until …") replay identically. */
const NOW = '2025-03-14T02:07:00.000Z';
export const MIN_CORPUS = 100;

export interface EvalReport {
    corpus: number;
    classes: ClassRow[];
    deterministic: DecisionRow;
    personas: DecisionRow[];
}

function facts(entry: CorpusEntry): { signal: FailureSignal; details: FailureDetails; classification: Classification } {
    const details: FailureDetails = {
        found: true,
        runStatus: 'Failed',
        errors: entry.errors,
        runMessage: entry.runMessage,
    };
    const signal: FailureSignal = {
        ticketId: `eval-${entry.id}`, dedupKey: entry.id, source: entry.source, pipeline: `pl_${entry.id}`,
        runId: entry.id, severity: 'Sev2', firedAt: NOW,
    };
    return { signal, details, classification: classify(entry.source, details) };
}

const rerunFor = (classification: Classification, analysis: AnalysisResult, seed: string) => {
    const input = { classification, analysis, attemptsMade: 0, maxAttempts: 3, baseDelaySeconds: 60, seed, now: NOW };
    return decide(input).action === 'rerun';
};

async function decisions(
    name: string,
    corpus: CorpusEntry[],
    model: RcaModel,
    before?: (e: CorpusEntry, n: number) => void,
) {
    const outcomes = [];
    const spent = { calls: 0, tokens: 0 };
    for (const [n, entry] of corpus.entries()) {
        before?.(entry, n);
        const f = facts(entry);
        const { result } = await model.analyse(f.signal, f.details, f.classification);
        spent.calls += result.usage?.calls ?? 0;
        spent.tokens += result.usage?.totalTokens ?? 0;
        outcomes.push({ id: entry.id, label: entry.label.rerun, rerun: rerunFor(f.classification, result, entry.id) });
    }
    return decisionRow(name, outcomes, spent);
}

/** The labelled corpus through the rules alone, then through the whole decision path with each recorded persona. */
export async function runEval(): Promise<EvalReport> {
    const corpus = loadCorpus();
    if (corpus.length < MIN_CORPUS) {
        throw new Error(`the corpus has ${corpus.length} failures; at least ${MIN_CORPUS} are needed`);
    }
    const fallback = ({ classification, details }: { classification: Classification; details: FailureDetails }) =>
        rulesAnalysis(classification, details);
    const pairs = corpus.map((e) => ({ label: e.label.class, predicted: facts(e).classification.errorClass }));
    const classes = classRows(pairs);
    const deterministic = await decisions('rules only (no model)', corpus, createAnalyst({ providers: [], fallback }));

    const standIn = await GeminiStandIn.start();
    try {
        const gemini = createGeminiProvider({
            apiKey: 'eval',
            model: 'gemini-2.5-flash',
            baseUrl: standIn.url,
            timeoutMs: 10_000,
            sleep: async () => undefined,
        });
        const model = createAnalyst({ providers: [gemini], fallback });
        const personas: DecisionRow[] = [];
        for (const [name, persona] of Object.entries(loadPersonas())) {
            const script = (e: CorpusEntry, n: number) => standIn.script(repliesFor(persona, e, n));
            personas.push(await decisions(`model: ${name}`, corpus, model, script));
        }
        return { corpus: corpus.length, classes, deterministic, personas };
    } finally {
        await standIn.close();
    }
}

export function render(report: EvalReport): string {
    return [
        `Labelled corpus: ${report.corpus} real-world ADF and Databricks failures (eval/corpus.json).`,
        '',
        'Table 1. Deterministic path: the classifier and the policy, no model.',
        '',
        classTable(report.classes),
        '',
        decisionTable([report.deterministic], false),
        '',
        'Table 2. Whole decision path: classify, Gemini through @google/genai against recorded replies, validate, decide.',
        '',
        decisionTable([{ ...report.deterministic, calls: 0, tokens: 0 }, ...report.personas], true),
    ].join('\n');
}

/** Auto-heal precision must be 1.00 on every path, whatever the model says. */
export function precisionHolds(report: EvalReport): boolean {
    return [report.deterministic, ...report.personas].every((r) => r.precision === null || r.precision === 1);
}

if (require.main === module) {
    runEval().then(
        (report) => {
            process.stdout.write(`${render(report)}\n`);
            const bad = [report.deterministic, ...report.personas].filter((r) => r.fp > 0);
            for (const r of bad) process.stdout.write(`\n${r.name}: wrongly rerun: ${r.falsePositives.join(', ')}\n`);
            process.exit(precisionHolds(report) ? 0 : 1);
        },
        (e: unknown) => {
            process.stderr.write(`eval: ${(e as Error).message}\n`);
            process.exit(2);
        },
    );
}
