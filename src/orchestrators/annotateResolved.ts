import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';

import { ActivityName, OrchestratorName } from './names';
import { activityRetry } from './policies';

/** A Resolved notification: one audit event on each ticket its alert opened; the remediations carry on. */
export const annotateResolved: OrchestrationHandler = function* (context: OrchestrationContext) {
    const note = context.df.getInput<{ ticketIds: string[] }>();
    const results: unknown[] = [];
    for (const ticketId of note.ticketIds) {
        results.push(yield context.df.callActivityWithRetry(ActivityName.recordResolved, activityRetry, { note, ticketId }));
    }
    return results;
};

df.app.orchestration(OrchestratorName.annotateResolved, annotateResolved);
