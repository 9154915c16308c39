import { InvocationContext } from '@azure/functions';

import { type CapturedFunction, triggerOf } from './capture';

/** A fresh InvocationContext per call, with the binding options the worker would give this function. */
export function invocationContext(
    fn: CapturedFunction | undefined,
    invocationId: string,
    log: (line: string) => void,
    retry?: { attempt: number },
): InvocationContext {
    if (!fn) return new InvocationContext({ invocationId, functionName: 'unknown' });
    const trigger = triggerOf(fn);
    const others = Object.values(fn.bindings).filter((b) => b !== trigger && b.name !== '$return');
    return new InvocationContext({
        invocationId,
        functionName: fn.name,
        logHandler: (level, ...args) => {
            if (level === 'trace' || level === 'debug') return;
            log(`[${fn.name}] ${level === 'information' ? '' : `${level}: `}${args.map(String).join(' ')}`);
        },
        retryContext: retry ? { retryCount: retry.attempt - 1, maxRetryCount: -1 } : undefined,
        options: {
            trigger: trigger as never,
            extraInputs: others.filter((b) => b.direction === 'in') as never,
            extraOutputs: others.filter((b) => b.direction === 'out') as never,
        },
    });
}
