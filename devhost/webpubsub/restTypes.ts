import type { HubContext } from './context';
import type { Payload } from './frames';

export interface RestRequest {
    hub: string;
    params: Record<string, string>;
    query: URLSearchParams;
    /** Set for message sends only, already checked and parsed. */
    payload?: Payload;
    /** Parsed JSON body for the JSON-bodied operations. */
    json?: unknown;
    origin: string;
}

export interface RestResult {
    status: number;
    body?: unknown;
}

export interface Route {
    method: string;
    path: string[];
    body?: 'message' | 'json';
    handle(ctx: HubContext, req: RestRequest): Promise<RestResult> | RestResult;
}

export const ok = (status: number, body?: unknown): RestResult => ({ status, body });
export const exists = (found: boolean): RestResult => ok(found ? 200 : 404);
