import type { Payload } from './frames';
import { jsonData } from './frames';
import type { Registry } from './registry';

export interface SentRecord {
    hub: string;
    /** `all`, `group:<name>`, `user:<id>` or `connection:<id>`. */
    target: string;
    dataType: Payload['dataType'];
    /** Parsed JSON, text, or base64 for binary. */
    data: unknown;
    at: string;
}

const MAX_SENT = 1000;

/** State shared by the REST API and the client endpoint of one hub server. */
export class HubContext {
    readonly sent: SentRecord[] = [];
    available = true;
    /** `http://host:port` the hub listens on, set once it does. */
    origin = '';

    constructor(
        readonly registry: Registry,
        readonly key: Uint8Array,
    ) {}

    record(hub: string, target: string, payload: Payload): void {
        const at = new Date().toISOString();
        this.sent.push({ hub, target, dataType: payload.dataType, data: jsonData(payload), at });
        if (this.sent.length > MAX_SENT) this.sent.splice(0, this.sent.length - MAX_SENT);
    }
}
