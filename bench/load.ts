/** A closed-loop load generator: `concurrency` senders, each posting its next body as soon as the last is answered. */

export interface LoadResult {
    sent: number;
    statuses: Record<number, number>;
    answers: { status: number; body: string }[];
    latenciesMs: number[];
    elapsedMs: number;
}

export async function load(
    url: string,
    bodies: string[],
    concurrency: number,
    headers: Record<string, string> = {},
): Promise<LoadResult> {
    const latenciesMs: number[] = new Array<number>(bodies.length);
    const answers: { status: number; body: string }[] = new Array(bodies.length);
    let next = 0;
    const started = performance.now();
    const worker = async () => {
        for (let i = next++; i < bodies.length; i = next++) {
            const t0 = performance.now();
            try {
                const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: bodies[i] });
                answers[i] = { status: res.status, body: await res.text() };
            } catch (e) {
                answers[i] = { status: 0, body: (e as Error).message };
            }
            latenciesMs[i] = performance.now() - t0;
        }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const statuses: Record<number, number> = {};
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    return { sent: bodies.length, statuses, answers, latenciesMs, elapsedMs: performance.now() - started };
}

export function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export interface Figures {
    p50: number;
    p99: number;
    perSecond: number;
}

export function figures(r: LoadResult): Figures {
    return { p50: percentile(r.latenciesMs, 50), p99: percentile(r.latenciesMs, 99), perSecond: (r.sent / r.elapsedMs) * 1000 };
}
