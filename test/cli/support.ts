import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { run } from '../../cli/main';

export interface Captured {
    stream: { isTTY: boolean; write(chunk: string): boolean };
    readonly text: string;
}

export function capture(isTTY = false): Captured {
    let text = '';
    return {
        stream: { isTTY, write: (chunk: string) => ((text += chunk), true) },
        get text() {
            return text;
        },
    };
}

/** Runs `npx autoheal ARGS` in-process with captured output and no colours. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
    const out = capture();
    const err = capture();
    const code = await run(args, { out: out.stream, err: err.stream, env: { NO_COLOR: '1', ...env } });
    return { code, out: out.text, err: err.text };
}

export function tempFile(name: string, content: string | object): string {
    const path = join(mkdtempSync(join(tmpdir(), 'autoheal-cli-')), name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
}

/** KEY=value lines, as `azd env get-values` writes them. */
export function settingsFile(values: Record<string, string>): string {
    return tempFile('settings.env', Object.entries(values).map(([k, v]) => `${k}="${v}"`).join('\n'));
}

export interface Recorded {
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: string;
}

/** A loopback HTTP server answering with `handle`, recording every request. */
export async function fakeServer(handle: (req: Recorded, res: ServerResponse) => void) {
    const requests: Recorded[] = [];
    const server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
            const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
            requests.push(recorded);
            handle(recorded, res);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        url,
        requests,
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
