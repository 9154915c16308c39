import type { CapturedFunction } from './capture';
import { triggerOf } from './capture';

export interface HttpRoute {
    fn: CapturedFunction;
    methods: string[];
    authLevel: 'anonymous' | 'function' | 'admin';
    template: string;
    regex: RegExp;
    names: string[];
    /** Literal segments weigh more than parameters when two routes match. */
    specificity: number;
}

/** Compiles the Functions route templates (`tickets/{id}`, `{id:int}`, `{id?}`, `{*rest}`) of every HTTP trigger. */
export function compileRoutes(functions: Iterable<CapturedFunction>, prefix = 'api'): HttpRoute[] {
    const routes: HttpRoute[] = [];
    for (const fn of functions) {
        const trigger = triggerOf(fn);
        if (trigger.type !== 'httpTrigger') continue;
        const template = String(trigger['route'] ?? fn.name).replace(/^\/+|\/+$/g, '');
        const names: string[] = [];
        let specificity = 0;
        const segments = template.split('/').map((segment) => {
            const param = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::[^}?]+)?(\?)?\}$/.exec(segment);
            if (!param) {
                specificity += 10;
                return '/' + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            }
            names.push(param[2]!);
            specificity += 1;
            if (param[1]) return '(?:/(.*))?';
            return param[3] ? '(?:/([^/]+))?' : '/([^/]+)';
        });
        const methods = ((trigger['methods'] as string[] | undefined) ?? ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']).map((m) => m.toUpperCase());
        routes.push({
            fn,
            methods,
            authLevel: (String(trigger['authLevel'] ?? 'function').toLowerCase() as HttpRoute['authLevel']),
            template,
            regex: new RegExp(`^/${prefix}${segments.join('')}/?$`, 'i'),
            names,
            specificity,
        });
    }
    return routes.sort((a, b) => b.specificity - a.specificity);
}

export function matchRoute(
    routes: HttpRoute[],
    method: string,
    path: string,
): { route: HttpRoute; params: Record<string, string> } | { methodNotAllowed: true; allowed: string[] } | undefined {
    const allowed = new Set<string>();
    for (const route of routes) {
        const m = route.regex.exec(path);
        if (!m) continue;
        route.methods.forEach((x) => allowed.add(x));
        if (!route.methods.includes(method.toUpperCase())) continue;
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
            const value = m[i + 1];
            if (value !== undefined) params[name] = decodeURIComponent(value);
        });
        return { route, params };
    }
    return allowed.size > 0 ? { methodNotAllowed: true, allowed: [...allowed] } : undefined;
}
