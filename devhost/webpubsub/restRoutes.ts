import type { Connection } from './connection';
import type { HubContext } from './context';
import { compileFilter } from './filter';
import type { MessageSource, Payload } from './frames';
import { groupRoutes } from './restGroups';
import { ok, exists, type RestRequest, type Route } from './restTypes';

/** Applies the `excluded` connection ids and the OData `filter` a send or close may carry. */
export function selection(candidates: Connection[], excluded: string[], filterText: string | null | undefined) {
    const skip = new Set(excluded);
    const filter = filterText ? compileFilter(filterText) : undefined;
    return candidates.filter((c) => !skip.has(c.id) &&
        (!filter || filter({ connectionId: c.id, userId: c.userId, groups: c.groups })));
}

const querySelection = (req: RestRequest, candidates: Connection[]) =>
    selection(candidates, req.query.getAll('excluded'), req.query.get('filter'));

function send(target: (ctx: HubContext, req: RestRequest) => [string, Connection[], MessageSource]): Route['handle'] {
    return (ctx, req) => {
        const [name, targets, source] = target(ctx, req);
        const payload = req.payload as Payload;
        const selected = querySelection(req, targets);
        ctx.record(req.hub, name, payload);
        ctx.registry.deliver(selected, source, payload);
        return ok(202);
    };
}

function closeAll(pick: (ctx: HubContext, req: RestRequest) => Connection[]): Route['handle'] {
    return (ctx, req) => {
        const reason = req.query.get('reason') ?? 'Closed by the server';
        for (const conn of querySelection(req, pick(ctx, req))) ctx.registry.close(conn, reason);
        return ok(204);
    };
}

const server: MessageSource = { from: 'server' };

export const routes: Route[] = [
    { method: 'POST', path: [':send'], body: 'message',
        handle: send((ctx, req) => ['all', ctx.registry.all(req.hub), server]) },
    { method: 'POST', path: ['groups', '{group}', ':send'], body: 'message',
        handle: send((ctx, req) => {
            const group = req.params.group as string;
            return [`group:${group}`, ctx.registry.ofGroup(req.hub, group), { from: 'group', group }];
        }) },
    { method: 'POST', path: ['users', '{user}', ':send'], body: 'message',
        handle: send((ctx, req) => [`user:${req.params.user}`, ctx.registry.ofUser(req.hub, req.params.user as string),
            server]) },
    { method: 'POST', path: ['connections', '{id}', ':send'], body: 'message',
        handle: send((ctx, req) => {
            const conn = ctx.registry.get(req.hub, req.params.id as string);
            return [`connection:${req.params.id}`, conn ? [conn] : [], server];
        }) },
    { method: 'POST', path: [':closeConnections'], handle: closeAll((ctx, req) => ctx.registry.all(req.hub)) },
    { method: 'POST', path: ['groups', '{group}', ':closeConnections'],
        handle: closeAll((ctx, req) => ctx.registry.ofGroup(req.hub, req.params.group as string)) },
    { method: 'POST', path: ['users', '{user}', ':closeConnections'],
        handle: closeAll((ctx, req) => ctx.registry.ofUser(req.hub, req.params.user as string)) },
    { method: 'DELETE', path: ['connections', '{id}'],
        handle: (ctx, req) => {
            const conn = ctx.registry.get(req.hub, req.params.id as string);
            if (conn) ctx.registry.close(conn, req.query.get('reason') ?? 'Closed by the server');
            return ok(204);
        } },
    { method: 'HEAD', path: ['connections', '{id}'],
        handle: (ctx, req) => exists(ctx.registry.get(req.hub, req.params.id as string) !== undefined) },
    { method: 'HEAD', path: ['users', '{user}'],
        handle: (ctx, req) => exists(ctx.registry.ofUser(req.hub, req.params.user as string).length > 0) },
    { method: 'HEAD', path: ['groups', '{group}'],
        handle: (ctx, req) => exists(ctx.registry.ofGroup(req.hub, req.params.group as string).length > 0) },
    ...groupRoutes,
];
