import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { type Deps, getDeps } from '../../shared/deps';
import { noteResolved, type NoteResult } from '../../shared/resolvedNote';
import type { ResolvedNote } from '../../shared/runLookup';
import { ActivityName } from '../../orchestrators/names';
import { journalDeps } from './journalDeps';

export async function recordResolved(
    deps: Pick<Deps, 'tickets' | 'audit' | 'broadcaster' | 'now'>,
    input: { note: ResolvedNote; ticketId: string },
    ctx: InvocationContext,
): Promise<NoteResult> {
    return noteResolved(journalDeps(deps, ctx), input.note, input.ticketId);
}

df.app.activity(ActivityName.recordResolved, {
    handler: (input: { note: ResolvedNote; ticketId: string }, ctx) => recordResolved(getDeps(), input, ctx),
});
