export type DataType = 'json' | 'text' | 'binary';

/** A message body as the hub keeps it: json holds the parsed value, text a string, binary a Buffer. */
export interface Payload {
    dataType: DataType;
    data: unknown;
}

export type Protocol = 'json' | 'reliable' | 'none';

export const JSON_SUBPROTOCOL = 'json.webpubsub.azure.v1';
export const RELIABLE_SUBPROTOCOL = 'json.reliable.webpubsub.azure.v1';

export function protocolOf(subprotocol: string): Protocol {
    if (subprotocol === JSON_SUBPROTOCOL) return 'json';
    if (subprotocol === RELIABLE_SUBPROTOCOL) return 'reliable';
    return 'none';
}

/** Maps a REST Content-Type to the data type the service reports to clients; undefined when unsupported. */
export function dataTypeOfContentType(contentType: string | undefined): DataType | undefined {
    const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
    if (mime === 'application/json') return 'json';
    if (mime === 'text/plain') return 'text';
    if (mime === 'application/octet-stream') return 'binary';
    return undefined;
}

/** Builds a Payload from a REST body; throws SyntaxError on malformed JSON. */
export function payloadFromBody(dataType: DataType, body: Buffer): Payload {
    if (dataType === 'binary') return { dataType, data: body };
    const text = body.toString('utf8');
    return { dataType, data: dataType === 'json' ? JSON.parse(text) : text };
}

/** Builds a Payload from a client's JSON-protocol frame fields; undefined when they are inconsistent. */
export function payloadFromFrame(dataType: unknown, data: unknown): Payload | undefined {
    if (dataType === 'json') return data === undefined ? undefined : { dataType, data };
    if (dataType === 'text') return typeof data === 'string' ? { dataType, data } : undefined;
    if (dataType === 'binary' || dataType === 'protobuf') {
        return typeof data === 'string' ? { dataType: 'binary', data: Buffer.from(data, 'base64') } : undefined;
    }
    return undefined;
}

/** The value a JSON frame (or the `sent` log) carries: binary travels as base64. */
export function jsonData(payload: Payload): unknown {
    return payload.dataType === 'binary' ? (payload.data as Buffer).toString('base64') : payload.data;
}

/** What a connection without a subprotocol receives: the bare data, binary as a binary frame. */
export function rawData(payload: Payload): string | Buffer {
    if (payload.dataType === 'binary') return payload.data as Buffer;
    if (payload.dataType === 'text') return payload.data as string;
    return JSON.stringify(payload.data);
}

export interface MessageSource {
    from: 'server' | 'group';
    group?: string;
    fromUserId?: string;
}

export function messageFrame(source: MessageSource, payload: Payload, sequenceId?: number): Record<string, unknown> {
    const frame: Record<string, unknown> = { type: 'message', from: source.from };
    if (source.group !== undefined) frame.group = source.group;
    if (source.fromUserId !== undefined) frame.fromUserId = source.fromUserId;
    frame.dataType = payload.dataType;
    frame.data = jsonData(payload);
    if (sequenceId !== undefined) frame.sequenceId = sequenceId;
    return frame;
}
