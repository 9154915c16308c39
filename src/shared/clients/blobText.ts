import type { ContainerClient } from '@azure/storage-blob';

/** Text documents kept next to the audit trail (whole error texts, model transcripts): `<container>/<name>`. */
export class BlobTextStore {
    private ready: Promise<unknown> | undefined;

    constructor(private readonly container: ContainerClient) {}

    /** Writes (or overwrites: a re-executed activity writes the same name) and returns `<container>/<name>`. */
    async put(name: string, text: string, contentType = 'text/plain; charset=utf-8'): Promise<string> {
        this.ready ??= this.container.createIfNotExists().catch((e: unknown) => {
            this.ready = undefined;
            throw e;
        });
        await this.ready;
        const body = Buffer.from(text, 'utf8');
        await this.container.getBlockBlobClient(name).upload(body, body.length, {
            blobHTTPHeaders: { blobContentType: contentType },
        });
        return `${this.container.containerName}/${name}`;
    }

    /** Reads back a `<container>/<name>` reference written by put. */
    async get(ref: string): Promise<string | undefined> {
        const prefix = `${this.container.containerName}/`;
        const name = ref.startsWith(prefix) ? ref.slice(prefix.length) : ref;
        try {
            return (await this.container.getBlockBlobClient(name).downloadToBuffer()).toString('utf8');
        } catch (e) {
            if ((e as { statusCode?: number }).statusCode === 404) return undefined;
            throw e;
        }
    }
}
