import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type Access, getAccess } from '../shared/access/accessDeps';
import { type Deps, getDeps } from '../shared/deps';
import { ValidationError } from '../shared/errors';
import { computeMetrics } from '../shared/views/metrics';
import { MetricsQuerySchema, windowOf } from '../shared/views/metricsQuery';
import { toPrometheus } from '../shared/views/prometheus';
import { parseQuery } from '../shared/views/ticketQuery';
import { json, withErrors } from './http';

function wantsPrometheus(request: HttpRequest, format: string | undefined): boolean {
    if (format) return format === 'prometheus';
    const accept = request.headers.get('accept') ?? '';
    return /text\/plain|openmetrics/i.test(accept) && !/application\/json/i.test(accept);
}

/** GET /api/metrics: over a window, as JSON or Prometheus text. A viewer token or the scrape key. */
export async function metrics(deps: Pick<Deps, 'tickets' | 'now'>, access: Pick<Access, 'auth'>, request: HttpRequest): Promise<HttpResponseInit> {
    if (!access.auth.hasScrapeKey(request)) await access.auth.authorize(request, 'viewer');
    const query = parseQuery(MetricsQuerySchema, request.query);
    const { from, to } = windowOf(query, deps.now());
    if (!(from < to)) throw new ValidationError('from must be before to');
    const tickets = await deps.tickets.list({ createdFrom: from.toISOString(), createdTo: to.toISOString() });
    const report = computeMetrics(tickets, from, to);
    if (!wantsPrometheus(request, query.format)) return json(200, report);
    return { status: 200, body: toPrometheus(report), headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } };
}

app.http('metrics', {
    route: 'metrics',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: withErrors((request: HttpRequest) => metrics(getDeps(), getAccess(), request)),
});
