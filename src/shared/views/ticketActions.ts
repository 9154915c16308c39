import { z } from 'zod';

import type { TicketStatus } from '../domain';

export const ActionSchema = z.enum(['approve', 'reject', 'retry', 'close']);
export type Action = z.infer<typeof ActionSchema>;

/**
 * Which actions a ticket accepts in each status (the page keeps the same table in actions.js): a pending
 * approval is approved, rejected or closed; an escalation is retried or closed. These are the states in which
 * the remediation waits for a person; at any other time the orchestration is busy and would not hear the event.
 */
export function acceptedActions(status: TicketStatus): Action[] {
    if (status === 'awaiting_approval') return ['approve', 'reject', 'close'];
    if (status === 'escalated') return ['retry', 'close'];
    return [];
}

const Comment = z.string().trim().min(1).max(1000);

/** The body each action accepts (approve, reject and retry may be sent without one). */
export const ActionBodySchemas = {
    approve: z.object({ comment: Comment.optional() }).strict(),
    reject: z.object({ comment: Comment.optional() }).strict(),
    retry: z.object({ comment: Comment.optional() }).strict(),
    close: z.object({ reason: Comment }).strict(),
} as const;

/** The durable event each action raises on the ticket's orchestration, and how it is audited. */
export const ACTION_EVENTS: Record<Action, { event: 'approval' | 'retry' | 'close'; audit: string; verb: string }> = {
    approve: { event: 'approval', audit: 'approved', verb: 'Approved' },
    reject: { event: 'approval', audit: 'rejected', verb: 'Rejected' },
    retry: { event: 'retry', audit: 'retry_requested', verb: 'Retry requested' },
    close: { event: 'close', audit: 'close_requested', verb: 'Close requested' },
};
