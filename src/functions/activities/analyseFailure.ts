import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import type { AnalysisResult } from '../../shared/domain';
import { recordStep } from '../../shared/journal';
import type { AnalyseInput } from '../../shared/remediation';
import { rulesAnalysis } from '../../shared/rulesAnalysis';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

/** Root-cause analysis: Gemini when configured (advice only), else the rules' own analysis. */
export async function analyseFailure(
    deps: Pick<Deps, 'model' | 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: AnalyseInput,
    ctx: InvocationContext,
): Promise<AnalysisResult> {
    const { signal, details, classification } = input;
    const result: AnalysisResult = deps.model
        ? await deps.model.analyse(signal, details, classification)
        : { source: 'rules', analysis: rulesAnalysis(classification, details), note: 'Gemini is not configured (GEMINI_API_KEY unset); the deterministic rules analysed this failure.' };
    const by = result.source === 'gemini' ? 'Gemini' : 'the deterministic rules';
    await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq, { analysis: result }, [
        {
            type: 'analysed',
            summary: `Analysis by ${by}: ${result.analysis.root_cause.slice(0, 300)}`,
            data: { source: result.source, category: result.analysis.category, autoHealPossible: result.analysis.auto_heal_possible, confidence: result.analysis.confidence, note: result.note },
        },
    ]);
    return result;
}

df.app.activity(ActivityName.analyseFailure, { handler: (input: AnalyseInput, ctx) => analyseFailure(getDeps(), input, ctx) });
