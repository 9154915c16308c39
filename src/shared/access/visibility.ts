import type { AuditEvent } from '../domain';
import { atLeast, type Role } from './roles';

/**
 * What a role may see of an audit event. Viewers get what happened and when, not the step's raw data (run
 * payloads, request details); the API and the live broadcast both apply this, so neither shows a viewer more.
 */
export function eventForRole(event: AuditEvent, role: Role): AuditEvent {
    return atLeast(role, 'operator') ? event : { ...event, data: {} };
}
