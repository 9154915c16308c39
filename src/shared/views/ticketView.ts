import { z } from 'zod';

import type { Config } from '../config';
import { FINAL_STATUSES, type Ticket, TicketSchema, type TicketStatus } from '../domain';
import { type OwnershipRule, type Priority, PrioritySchema } from './settings';

export const TicketViewSchema = TicketSchema.extend({
    priority: PrioritySchema,
    team: z.string().optional(),
    owner: z.string().optional(),
    costCentre: z.string().optional(),
    slaMinutes: z.number().int(),
    /** When the SLA of this priority is (or was) breached: createdAt + slaMinutes. */
    slaDueAt: z.string(),
    slaBreached: z.boolean(),
});
export type TicketView = z.infer<typeof TicketViewSchema>;

export type UrgencySettings = Pick<Config, 'OWNERSHIP_RULES' | 'SLA_MINUTES'>;

const SEVERITY_PRIORITY: Record<string, Priority> = { sev0: 'P1', sev1: 'P2', sev2: 'P3', sev3: 'P4', sev4: 'P4' };

/** Azure Monitor severities: Sev0 critical → P1 … Sev3/Sev4 → P4; anything else is P3. */
export function priorityOf(severity: string): Priority {
    return SEVERITY_PRIORITY[severity.trim().toLowerCase()] ?? 'P3';
}

const globCache = new Map<string, RegExp>();
function glob(pattern: string): RegExp {
    let re = globCache.get(pattern);
    if (!re) {
        const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
        re = new RegExp(`^${body}$`, 'i');
        globCache.set(pattern, re);
    }
    return re;
}

export function ownershipOf(pipeline: string, rules: readonly OwnershipRule[]): Omit<OwnershipRule, 'match'> | undefined {
    const rule = rules.find((r) => glob(r.match).test(pipeline));
    return rule ? { team: rule.team, owner: rule.owner, costCentre: rule.costCentre } : undefined;
}

/** Statuses that end the incident: the SLA clock stops at closedAt. Escalated tickets still wait for a person. */
const RESOLVED = new Set<TicketStatus>([...FINAL_STATUSES].filter((s) => s !== 'escalated'));

/** The ticket with its ownership and urgency, derived at read time so configuration changes apply to old tickets. */
export function ticketView(ticket: Ticket, settings: UrgencySettings, now: Date): TicketView {
    const priority = priorityOf(ticket.severity);
    const slaMinutes = settings.SLA_MINUTES[priority];
    const due = Date.parse(ticket.createdAt) + slaMinutes * 60_000;
    const stoppedAt = RESOLVED.has(ticket.status) && ticket.closedAt ? Date.parse(ticket.closedAt) : now.getTime();
    const owner = ownershipOf(ticket.pipeline, settings.OWNERSHIP_RULES);
    return {
        ...ticket,
        ...(owner?.team ? { team: owner.team } : {}),
        ...(owner?.owner ? { owner: owner.owner } : {}),
        ...(owner?.costCentre ? { costCentre: owner.costCentre } : {}),
        priority,
        slaMinutes,
        slaDueAt: new Date(Number.isFinite(due) ? due : now.getTime()).toISOString(),
        slaBreached: Number.isFinite(due) && stoppedAt > due,
    };
}
