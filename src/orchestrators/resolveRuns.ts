import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';

import { ActivityName, OrchestratorName } from './names';
import { activityRetry } from './policies';

/**
 * An ADF alert that names no run (a metric alert, a log alert split only by pipeline, alertContext null):
 * find the failed runs over the alert's window, then open one ticket per run (or one 'run unknown' ticket).
 * A lookup that keeps failing still opens the 'run unknown' ticket, so the alert reaches a person.
 */
export const resolveRuns: OrchestrationHandler = function* (context: OrchestrationContext) {
    const lookup = context.df.getInput<{ lookupId: string }>();
    let found: unknown;
    try {
        found = yield context.df.callActivityWithRetry(ActivityName.findFailedRuns, activityRetry, lookup);
    } catch (e) {
        found = { ok: false, reason: e instanceof Error ? e.message.split('\n')[0] : String(e) };
    }
    const input = { lookup, found };
    const opened: unknown = yield context.df.callActivityWithRetry(ActivityName.openRunTickets, activityRetry, input);
    return opened;
};

df.app.orchestration(OrchestratorName.resolveRuns, resolveRuns);
