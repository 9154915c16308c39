import { z } from 'zod';

export const ServiceSchema = z.enum(['adf', 'databricks', 'gemini']);
export type Service = z.infer<typeof ServiceSchema>;

export interface RecordedCall {
    service: Service;
    method: string;
    url: string;
    body?: unknown;
    status: number;
    at: string;
}

/** An injected failure: an error answer in the service's shape, or (status below 400) only a delay. */
export interface Fault {
    status: number;
    retryAfterSeconds?: number;
    delayMs?: number;
    /** How many calls the fault applies to; unlimited when absent. */
    count?: number;
}

export interface Sandbox {
    baseUrl: string;
    port: number;
    calls: RecordedCall[];
    violations: string[];
    settings(): Record<string, string>;
    setFault(service: Service, fault: Fault | null): void;
    close(): Promise<void>;
}

export const MockResponseSchema = z.object({
    status: z.number().int().min(100).max(599),
    headers: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    body: z.unknown().optional(),
});
export type MockResponse = z.infer<typeof MockResponseSchema>;

export const CaseMockSchema = z.looseObject({
    service: ServiceSchema,
    method: z.string().regex(/^[A-Za-z]+$/, 'expected an HTTP method'),
    url: z.string().regex(/^https?:\/\/[^/]+\//, 'expected an absolute https:// URL'),
    responses: z.array(MockResponseSchema).min(1),
    afterLast: z.literal('repeat-last').optional(),
    matchBody: z.record(z.string(), z.unknown()).optional(),
    mustNotBeCalled: z.boolean().optional(),
    note: z.string().optional(),
});

/**
 * A scripted answer. Mocks from case files always have `method`, `url` and responses; a variant's
 * `alsoMustNotBeCalled` adds watchers that select by `urlContains` and never answer.
 */
export interface CaseMock {
    service: Service;
    method?: string;
    url?: string;
    urlContains?: string;
    responses: MockResponse[];
    afterLast?: 'repeat-last';
    matchBody?: Record<string, unknown>;
    mustNotBeCalled?: boolean;
    note?: string;
}

/** What the sandbox answers for one call. */
export interface Answer {
    status: number;
    headers?: Record<string, string | number>;
    body?: unknown;
}
