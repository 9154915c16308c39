import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { AuditStore, type NewAuditEvent } from '../../shared/clients/auditStore';
import { redact } from '../../shared/clients/redact';
import { type Deps, getDeps } from '../../shared/deps';
import type { AnalysisResult } from '../../shared/domain';
import { recordStep } from '../../shared/journal';
import type { LlmExchange } from '../../shared/ports';
import type { AnalyseInput } from '../../shared/remediation';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

type AnalyseDeps = Pick<Deps, 'model' | 'texts' | 'tickets' | 'audit' | 'broadcaster' | 'now'>;

/** Keeps the prompts and raw replies next to the ticket's audit document (`…/<ticketId>.llm.json`). */
async function archive(deps: AnalyseDeps, input: AnalyseInput, exchanges: LlmExchange[]): Promise<string | undefined> {
    if (exchanges.length === 0) return undefined;
    const ticket = await deps.tickets.get(input.signal.ticketId);
    if (!ticket) return undefined;
    const name = AuditStore.blobName(ticket).replace(/\.json$/, '.llm.json');
    const redacted = exchanges.map((e) => ({ ...e, prompt: redact(e.prompt), reply: redact(e.reply) }));
    const body = JSON.stringify({ ticketId: ticket.id, step: input.seq, exchanges: redacted }, null, 2);
    return deps.texts.put(name, body, 'application/json');
}

/** Root-cause analysis: a model when configured (advice only, cached by error signature), else the rules. */
export async function analyseFailure(
    deps: AnalyseDeps,
    input: AnalyseInput,
    ctx: InvocationContext,
): Promise<AnalysisResult> {
    const { signal, details, classification } = input;
    const answer = await deps.model.analyse(signal, details, classification);
    const result: AnalysisResult = { ...answer.result, archive: await archive(deps, input, answer.exchanges) };
    const events: NewAuditEvent[] = [];
    if (answer.configError) {
        // Every ticket would lose its analysis the same way: this must reach an operator, not just the ticket.
        const message = `Model configuration error, no model analysis until it is fixed: ${answer.configError}`;
        ctx.error(message);
        events.push({ type: 'llm_config_error', summary: message.slice(0, 500) });
    }
    const usage = result.usage;
    const spent = `${usage?.calls ?? 0} model calls, ${usage?.totalTokens ?? 0} tokens`;
    const by = result.source === 'rules'
        ? `the deterministic rules (no model analysis: ${(result.note ?? '').slice(0, 240)}; ${spent})`
        : result.cached
          ? `${result.source} (cached from ticket ${result.cached.firstTicketId}; ${spent})`
          : `${result.source} (${result.model ?? 'model'}; ${spent})`;
    events.unshift({
        type: 'analysed',
        summary: `Analysis by ${by}: ${result.analysis.root_cause.slice(0, 300)}`,
        data: {
            source: result.source,
            model: result.model,
            category: result.analysis.category,
            autoHealPossible: result.analysis.auto_heal_possible,
            confidence: result.analysis.confidence,
            note: result.note,
            modelCalls: usage?.calls ?? 0,
            tokens: usage?.totalTokens ?? 0,
            cached: result.cached,
            archive: result.archive,
        },
    });
    await recordStep(journalDeps(deps, ctx), signal.ticketId, input.seq, { analysis: result }, events);
    return result;
}

df.app.activity(ActivityName.analyseFailure, { handler: (input: AnalyseInput, ctx) => analyseFailure(getDeps(), input, ctx) });
