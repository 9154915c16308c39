import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { RecordedReply } from './data';

/** generateContent's body for a recorded reply. */
function body(reply: RecordedReply, model: string): unknown {
    const usageMetadata = {
        promptTokenCount: reply.usage.prompt,
        candidatesTokenCount: reply.usage.output,
        totalTokenCount: reply.usage.prompt + reply.usage.output,
    };
    if (reply.blockReason) {
        return { promptFeedback: { blockReason: reply.blockReason }, usageMetadata, modelVersion: model };
    }
    const content = reply.text === undefined ? undefined : { role: 'model', parts: [{ text: reply.text }] };
    return {
        candidates: [{ content, finishReason: reply.finishReason ?? 'STOP', index: 0 }],
        usageMetadata,
        modelVersion: model,
    };
}

/** A local Gemini stand-in that answers generateContent with the recorded replies it is given, in order. */
export class GeminiStandIn {
    private queue: RecordedReply[] = [];
    calls = 0;

    private constructor(private readonly server: Server) {}

    static async start(): Promise<GeminiStandIn> {
        const server = createServer();
        const standIn = new GeminiStandIn(server);
        server.on('request', (req, res) => {
            req.resume();
            req.on('end', () => {
                const model = /\/models\/([^/:]+):generateContent/.exec(req.url ?? '')?.[1];
                if (req.method !== 'POST' || !model) {
                    res.writeHead(404).end();
                    return;
                }
                standIn.calls++;
                // The last recorded reply repeats, as a model asked again would answer again.
                const reply = standIn.queue.length > 1 ? standIn.queue.shift()! : standIn.queue[0];
                if (!reply) {
                    const error = '{"error":{"code":500,"status":"INTERNAL"}}';
                    res.writeHead(500, { 'content-type': 'application/json' }).end(error);
                    return;
                }
                res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body(reply, model)));
            });
        });
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        return standIn;
    }

    get url(): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    /** The replies for the next analysis. */
    script(replies: RecordedReply[]): void {
        this.queue = [...replies];
    }

    async close(): Promise<void> {
        this.server.closeAllConnections();
        this.server.close();
        await once(this.server, 'close');
    }
}
