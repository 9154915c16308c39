import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { randomUUID } from 'node:crypto';

import { type Deps, getDeps } from '../shared/deps';
import { UnavailableError } from '../shared/errors';
import { json, withErrors } from './http';

/** GET /api/negotiate: a short-lived Web PubSub client URL for the dashboard (never cached or shared). */
export async function negotiate(deps: Pick<Deps, 'broadcaster'>): Promise<HttpResponseInit> {
    try {
        return json(200, await deps.broadcaster.clientUrl(`dashboard-${randomUUID()}`));
    } catch (e) {
        throw new UnavailableError(`live updates unavailable: ${(e as Error).message}`);
    }
}

app.http('negotiate', {
    route: 'negotiate',
    methods: ['GET', 'POST'],
    authLevel: 'function',
    handler: withErrors((_request: HttpRequest) => negotiate(getDeps())),
});
