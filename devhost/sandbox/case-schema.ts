import { z } from 'zod';
import { CaseMockSchema, MockResponseSchema, ServiceSchema, type CaseMock } from './types';

const DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an ISO-8601 duration limited to days, hours, minutes and seconds (`PT1M30S`, `P1DT2H`). */
export function durationMs(text: string): number {
    const m = DURATION.exec(text);
    if (!m || text === 'P' || text.endsWith('T')) throw new Error(`not an ISO-8601 duration: "${text}"`);
    const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((v) => Number(v ?? 0)) as [number, number, number, number];
    return Math.round((((d * 24 + h) * 60 + min) * 60 + s) * 1000);
}

const DurationSchema = z.string().refine((v) => DURATION.test(v) && v !== 'P' && !v.endsWith('T'), {
    message: 'expected an ISO-8601 duration such as "PT15S"',
});

const SelectorSchema = z.object({
    service: ServiceSchema,
    method: z.string().optional(),
    urlContains: z.string().optional(),
});
export type MockSelector = z.infer<typeof SelectorSchema>;

export const VariantSchema = z
    .looseObject({
        name: z.string().min(1),
        replaceMock: SelectorSchema,
        responses: z.array(MockResponseSchema).min(1).optional(),
        statusSequence: z.array(z.string().min(1)).min(1).optional(),
        alsoMustNotBeCalled: z.array(SelectorSchema).optional(),
    })
    .refine((v) => v.responses !== undefined || v.statusSequence !== undefined, {
        message: 'a variant needs "responses" or "statusSequence"',
    });
export type CaseVariant = z.infer<typeof VariantSchema>;

export const ConfigSchema = z.looseObject({
    clockStart: z.iso.datetime({ offset: true }).optional(),
    maxAutoHealAttempts: z.number().int().min(0).optional(),
    pollIntervalSeconds: z.number().positive().optional(),
    variants: z.array(VariantSchema).optional(),
});
export type CaseConfig = z.infer<typeof ConfigSchema>;

export const StepHeadSchema = z.looseObject({ at: DurationSchema, action: z.string().min(1) });

export const HttpRequestSchema = z
    .object({
        method: z.string().regex(/^[A-Za-z]+$/, 'expected an HTTP method'),
        path: z.string().startsWith('/'),
        headers: z.record(z.string(), z.string()).default({}),
        body: z.unknown().optional(),
        rawBody: z.string().optional(),
    })
    .refine((r) => r.body === undefined || r.rawBody === undefined, { message: 'use "body" or "rawBody", not both' });

export const ScenarioSchema = z.looseObject({
    kind: z.literal('scenario'),
    description: z.string().optional(),
    config: ConfigSchema.default({}),
    steps: z.array(StepHeadSchema).min(1),
    mocks: z.array(CaseMockSchema).default([]),
});

export interface HttpStep {
    at: string;
    atMs: number;
    action: 'http';
    note?: string;
    request: z.infer<typeof HttpRequestSchema>;
}

/** A step the runner may or may not support (`chaos`, `inject-latency`, ...), kept with all its fields. */
export interface OtherStep {
    at: string;
    atMs: number;
    action: string;
    [key: string]: unknown;
}

export type CaseStep = HttpStep | OtherStep;

export const isHttpStep = (step: CaseStep): step is HttpStep => step.action === 'http';

export interface LoadedCase {
    /** The file name without directory, e.g. `C14-adf-2108-transient-endpoint.json`. */
    name: string;
    kind: 'plain' | 'scenario';
    description?: string;
    config: CaseConfig;
    steps: CaseStep[];
    mocks: CaseMock[];
    /** The variant applied, or null. */
    variant: string | null;
}
