import type { z } from 'zod';
import type { IntakeIssue, IntakeOutcome } from './types';

/** `['data', 'allOf', 0, 'name']` → `data.allOf[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
    let out = '';
    for (const part of path) {
        if (typeof part === 'number') out += `[${part}]`;
        else out += out ? `.${String(part)}` : String(part);
    }
    return out;
}

export function fromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): IntakeIssue[] {
    // zod 4 also reports a length check on a value of the wrong type ("expected array" + "string too big").
    const wrongType = new Set(error.issues.filter((i) => i.code === 'invalid_type').map((i) => formatPath(i.path)));
    const issues = error.issues.filter((i) => i.code === 'invalid_type' || !wrongType.has(formatPath(i.path)));
    return issues.map((issue) => ({
        path: formatPath([...prefix, ...issue.path]) || '(root)',
        message: issue.message,
    }));
}

export function invalid(...issues: IntakeIssue[]): IntakeOutcome {
    return { kind: 'invalid', issues };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
