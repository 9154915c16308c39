import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StorageFault {
    /** Applies to requests whose path starts with this (e.g. `/devstoreaccount1/tickets`); all when absent. */
    pathPrefix?: string;
    delayMs?: number;
    /** Answer this status instead of forwarding (e.g. 503: storage unavailable). */
    status?: number;
    /** Fault ends at this time (epoch ms, per `now`). */
    until?: number;
    /** Holds matching requests until this `performance.now()` time (a real-time outage window). */
    releaseAt?: number;
}

/**
 * A pass-through HTTP proxy in front of one Azurite endpoint, so tests and scenarios can make storage slow
 * or unavailable for the app (the durable backend keeps talking to Azurite directly).
 */
export async function startFaultProxy(target: string, now: () => number = Date.now) {
    const upstream = new URL(target);
    const faults: StorageFault[] = [];
    const server: Server = createServer((req, res) => {
        const path = req.url ?? '/';
        const fault = faults.find((f) => (!f.pathPrefix || path.startsWith(f.pathPrefix)) && (f.until === undefined || now() < f.until));
        const forward = () => {
            const out = httpRequest(
                { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
                (answer) => {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            out.on('error', () => {
                if (!res.headersSent) res.writeHead(502);
                res.end();
            });
            req.pipe(out);
        };
        if (fault?.status) {
            req.resume();
            res.writeHead(fault.status, { 'content-type': 'application/json' }).end('{"odata.error":{"code":"ServerBusy","message":{"value":"injected fault"}}}');
            return;
        }
        const hold = Math.max(fault?.delayMs ?? 0, fault?.releaseAt !== undefined ? fault.releaseAt - performance.now() : 0);
        if (hold > 0) setTimeout(forward, hold);
        else forward();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
        faults,
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
