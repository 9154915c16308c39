import Module from 'node:module';

/** A function as the Functions worker would see it: its metadata (bindings) and the handler. */
export interface CapturedBinding {
    name: string;
    type: string;
    direction: 'in' | 'out';
    [key: string]: unknown;
}

export interface CapturedFunction {
    name: string;
    bindings: Record<string, CapturedBinding>;
    handler: (...args: unknown[]) => unknown;
}

export interface Registry {
    functions: Map<string, CapturedFunction>;
    hooks: { type: string; callback: (...args: unknown[]) => unknown }[];
}

let registry: Registry | undefined;

/**
 * Answers `require('@azure/functions-core')` the way the Node worker does, so every `app.*` and `df.app.*`
 * registration of the real app reaches us with its binding metadata. Must run before the app's first
 * `app.*` call: @azure/functions caches the lookup.
 */
export function installFunctionsCore(): Registry {
    if (registry) return registry;
    const captured: Registry = { functions: new Map(), hooks: [] };
    const coreApi = {
        version: '3.10.1',
        setProgrammingModel: () => undefined,
        getProgrammingModel: () => undefined,
        registerFunction(metadata: { name: string; bindings: Record<string, CapturedBinding> }, handler: CapturedFunction['handler']) {
            if (captured.functions.has(metadata.name)) {
                throw new Error(`A function named "${metadata.name}" is already registered`);
            }
            const bindings: Record<string, CapturedBinding> = {};
            for (const [key, binding] of Object.entries(metadata.bindings)) {
                bindings[key] = { ...binding, name: key };
            }
            captured.functions.set(metadata.name, { name: metadata.name, bindings, handler });
            return { dispose: () => captured.functions.delete(metadata.name) };
        },
        registerHook(type: string, callback: (...args: unknown[]) => unknown) {
            captured.hooks.push({ type, callback });
            return { dispose: () => undefined };
        },
        log: () => undefined,
        Disposable: class {
            dispose(): void {}
        },
    };
    type LoadFn = (request: string, parent: unknown, isMain: boolean) => unknown;
    const mod = Module as unknown as { _load: LoadFn };
    const original = mod._load;
    mod._load = function (request: string, parent: unknown, isMain: boolean) {
        if (request === '@azure/functions-core') return coreApi;
        return original.call(this, request, parent, isMain);
    };
    registry = captured;
    return captured;
}

export function triggerOf(fn: CapturedFunction): CapturedBinding {
    const trigger = Object.values(fn.bindings).find((b) => b.type.endsWith('Trigger'));
    if (!trigger) throw new Error(`Function ${fn.name} has no trigger binding`);
    return trigger;
}
