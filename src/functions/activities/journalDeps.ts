import type { InvocationContext } from '@azure/functions';

import type { Deps } from '../../shared/deps';
import type { JournalDeps } from '../../shared/journal';

export function journalDeps(deps: Pick<Deps, 'tickets' | 'audit' | 'broadcaster' | 'now'>, ctx: InvocationContext): JournalDeps {
    return { ...deps, log: (message) => ctx.warn(message) };
}
