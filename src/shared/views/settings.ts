import { z } from 'zod';

/** Parsers for the settings of ownership, urgency and access (config.ts composes them into its schema). */

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

export const OwnershipRuleSchema = z
    .object({
        /** A pipeline or job name pattern: `*` any characters, `?` one; case-insensitive; the first match wins. */
        match: z.string().min(1),
        team: z.string().min(1),
        owner: z.string().min(1).optional(),
        costCentre: z.string().min(1).optional(),
    })
    .strict();
export type OwnershipRule = z.infer<typeof OwnershipRuleSchema>;

/** `[{"match":"pl_sales_*","team":"Sales BI","owner":"ana@contoso.com","costCentre":"CC-1001"}, …]` */
export const ownershipRules = z
    .string()
    .default('[]')
    .transform((value, ctx) => {
        let raw: unknown;
        try {
            raw = JSON.parse(value);
        } catch {
            ctx.addIssue({ code: 'custom', message: 'expected a JSON array of {match, team, owner?, costCentre?}' });
            return z.NEVER;
        }
        const parsed = z.array(OwnershipRuleSchema).safeParse(raw);
        if (!parsed.success) {
            ctx.addIssue({ code: 'custom', message: `expected [{match, team, owner?, costCentre?}]: ${parsed.error.issues[0]?.message ?? ''}` });
            return z.NEVER;
        }
        return parsed.data;
    });

/** `P1=60,P2=240,P3=1440,P4=4320`: minutes to resolve per priority; every priority must be given. */
export const slaMinutes = z
    .string()
    .default('P1=60,P2=240,P3=1440,P4=4320')
    .transform((value, ctx) => {
        const map: Partial<Record<Priority, number>> = {};
        for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
            const m = /^(P[1-4])\s*=\s*(\d+)$/.exec(pair);
            if (!m || Number(m[2]) < 1) {
                ctx.addIssue({ code: 'custom', message: `expected "P1=minutes,…,P4=minutes", got "${pair}"` });
                return z.NEVER;
            }
            map[m[1] as Priority] = Number(m[2]);
        }
        const missing = PRIORITIES.filter((p) => map[p] === undefined);
        if (missing.length > 0) {
            ctx.addIssue({ code: 'custom', message: `missing ${missing.join(', ')}` });
            return z.NEVER;
        }
        return map as Record<Priority, number>;
    });

/** `contoso.com, fabrikam.com` → lower-case domains; accounts may only be created for these. */
export const emailDomains = z
    .string()
    .default('')
    .transform((value, ctx) => {
        const domains = value.split(',').map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean);
        const bad = domains.find((d) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d));
        if (bad) {
            ctx.addIssue({ code: 'custom', message: `"${bad}" is not a domain name` });
            return z.NEVER;
        }
        return domains;
    });
