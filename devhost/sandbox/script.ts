import { mockMatches, selectMock, type CallForMatch } from './matching';
import { defaultAnswer } from './responses';
import type { ServiceCall } from './server';
import type { Answer, CaseMock, Sandbox } from './types';

/** Answers calls from a case's mocks, in order then repeating the last, with the README's defaults. */
export function scriptHandler(mocks: readonly CaseMock[]): (call: ServiceCall, sandbox: Sandbox) => Answer {
    const served = new Map<CaseMock, number>();
    return (call, sandbox) => {
        const match: CallForMatch = {
            service: call.route.service,
            method: call.method,
            host: call.route.host,
            path: call.route.path,
            query: call.route.query,
            canonicalUrl: call.route.canonicalUrl,
            body: call.body,
        };
        const mock = selectMock(mocks, match);
        const watched = mocks.some((m) => m.mustNotBeCalled && m.responses.length === 0 && mockMatches(m, match));
        if (mock?.mustNotBeCalled || watched) {
            sandbox.violations.push(`mustNotBeCalled: ${call.method} ${call.route.canonicalUrl}`);
        }
        if (!mock) return defaultAnswer(call.route.service, call.method, call.route.path, call.route.query);
        const n = served.get(mock) ?? 0;
        served.set(mock, n + 1);
        const response = mock.responses[Math.min(n, mock.responses.length - 1)]!;
        return { status: response.status, headers: response.headers, body: response.body };
    };
}
