import { signClientToken } from './auth';
import type { Connection } from './connection';
import type { HubContext } from './context';
import { compileFilter } from './filter';
import { exists, ok, type RestRequest, type RestResult, type Route } from './restTypes';

const notFound = (): RestResult => ok(404, { code: 'NotFound', message: 'The connection does not exist' });

function groupsBody(req: RestRequest): { groups: string[]; filter?: string } {
    const body = req.json as { groups?: unknown; filter?: unknown } | null;
    const groups = Array.isArray(body?.groups) ? body.groups.filter((g): g is string => typeof g === 'string') : [];
    if (groups.length === 0) throw new SyntaxError('groups must be a non-empty array of strings');
    return { groups, filter: typeof body?.filter === 'string' ? body.filter : undefined };
}

function connectionsMatching(ctx: HubContext, req: RestRequest, filter: string | undefined): Connection[] {
    const fn = filter ? compileFilter(filter) : () => true;
    return ctx.registry.all(req.hub).filter((c) => fn({ connectionId: c.id, userId: c.userId, groups: c.groups }));
}

const conn = (ctx: HubContext, req: RestRequest) => ctx.registry.get(req.hub, req.params.id as string);
const group = (req: RestRequest) => req.params.group as string;
const user = (req: RestRequest) => req.params.user as string;

function permissionRoutes(): Route[] {
    const path = ['permissions', '{permission}', 'connections', '{id}'];
    const withConn = (f: (c: Connection, perm: string, target: string | null) => RestResult): Route['handle'] =>
        (ctx, req) => {
            const perm = req.params.permission as string;
            if (perm !== 'sendToGroup' && perm !== 'joinLeaveGroup') {
                throw new SyntaxError('permission must be sendToGroup or joinLeaveGroup');
            }
            const c = conn(ctx, req);
            return c ? f(c, perm, req.query.get('targetName')) : notFound();
        };
    const role = (perm: string, target: string | null) => `webpubsub.${perm}${target ? `.${target}` : ''}`;
    return [
        { method: 'PUT', path, handle: withConn((c, p, t) => (c.roles.add(role(p, t)), ok(200))) },
        { method: 'DELETE', path, handle: withConn((c, p, t) => (c.roles.delete(role(p, t)), ok(204))) },
        { method: 'HEAD', path, handle: withConn((c, p, t) => exists(c.roles.has(role(p, null)) ||
            (t !== null && c.roles.has(role(p, t))))) },
    ];
}

export const groupRoutes: Route[] = [
    { method: 'GET', path: ['groups', '{group}', 'connections'],
        handle: (ctx, req) => ok(200, {
            value: ctx.registry.ofGroup(req.hub, group(req)).map((c) => ({ connectionId: c.id, userId: c.userId })),
        }) },
    { method: 'PUT', path: ['groups', '{group}', 'connections', '{id}'],
        handle: (ctx, req) => {
            const c = conn(ctx, req);
            if (!c) return notFound();
            c.groups.add(group(req));
            return ok(200);
        } },
    { method: 'DELETE', path: ['groups', '{group}', 'connections', '{id}'],
        handle: (ctx, req) => (conn(ctx, req)?.groups.delete(group(req)), ok(204)) },
    { method: 'DELETE', path: ['connections', '{id}', 'groups'],
        handle: (ctx, req) => (conn(ctx, req)?.groups.clear(), ok(204)) },
    { method: 'PUT', path: ['users', '{user}', 'groups', '{group}'],
        handle: (ctx, req) => (ctx.registry.addUserToGroup(req.hub, user(req), group(req)), ok(200)) },
    { method: 'DELETE', path: ['users', '{user}', 'groups', '{group}'],
        handle: (ctx, req) => (ctx.registry.removeUserFromGroup(req.hub, user(req), group(req)), ok(204)) },
    { method: 'DELETE', path: ['users', '{user}', 'groups'],
        handle: (ctx, req) => (ctx.registry.removeUserFromAllGroups(req.hub, user(req)), ok(204)) },
    { method: 'POST', path: [':addToGroups'], body: 'json',
        handle: (ctx, req) => {
            const { groups, filter } = groupsBody(req);
            for (const c of connectionsMatching(ctx, req, filter)) for (const g of groups) c.groups.add(g);
            return ok(200);
        } },
    { method: 'POST', path: [':removeFromGroups'], body: 'json',
        handle: (ctx, req) => {
            const { groups, filter } = groupsBody(req);
            for (const c of connectionsMatching(ctx, req, filter)) for (const g of groups) c.groups.delete(g);
            return ok(200);
        } },
    ...permissionRoutes(),
    { method: 'POST', path: [':generateToken'],
        handle: async (ctx, req) => {
            const minutes = Number(req.query.get('minutesToExpire') ?? 60);
            if (!Number.isFinite(minutes) || minutes < 1) throw new SyntaxError('minutesToExpire must be at least 1');
            const token = await signClientToken(ctx.key, {
                audience: `${req.origin}/client/hubs/${req.hub}`,
                userId: req.query.get('userId') ?? undefined,
                roles: req.query.getAll('role'),
                groups: req.query.getAll('group'),
                minutesToExpire: minutes,
            });
            return ok(200, { token });
        } },
];
