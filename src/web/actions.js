// Approve / reject / retry / close: shown to operators and admins only (the API enforces the same).

import { ApiError, apiPost } from './api.js';
import { el } from './dom.js';
import { session } from './session.js';

/** What a ticket accepts in each status: the same table as src/shared/views/ticketActions.ts. */
export function acceptedActions(status) {
    if (status === 'awaiting_approval') return ['approve', 'reject', 'close'];
    if (status === 'escalated') return ['retry', 'close'];
    return [];
}

const LABELS = { approve: 'Approve', reject: 'Reject', retry: 'Retry', close: 'Close ticket' };
const canAct = () => session.role === 'operator' || session.role === 'admin';

/** The actions section of the detail panel for this ticket and this user. */
export function actionsSection(ticket) {
    const section = el('section', { class: 'detail-section actions', 'data-testid': 'actions' }, el('h3', { text: 'Actions' }));
    if (!canAct()) {
        section.append(el('p', { class: 'muted', 'data-testid': 'actions-denied', text: `Signed in as ${session.role ?? 'viewer'}: you can read tickets but not act on them.` }));
        return section;
    }
    const accepted = acceptedActions(ticket.status);
    if (accepted.length === 0) {
        section.append(el('p', { class: 'muted', text: 'Nothing to decide now: the remediation is running or the ticket is closed.' }));
        return section;
    }
    const note = el('textarea', { id: 'action-note', rows: 2, maxLength: 1000, placeholder: 'Comment (a reason is required to close)' });
    const result = el('p', { class: 'action-result', role: 'status', 'data-testid': 'action-result' });
    const buttons = accepted.map((action) => {
        const button = el('button', { type: 'button', class: `button action-${action}${action === 'approve' ? ' primary' : ''}`, 'data-testid': `action-${action}`, text: LABELS[action] });
        button.addEventListener('click', () => void run(ticket.id, action, note, result, buttons));
        return button;
    });
    section.append(el('label', { htmlFor: 'action-note', class: 'visually-hidden', text: 'Comment' }), note, el('div', { class: 'action-buttons' }, ...buttons), result);
    return section;
}

async function run(id, action, note, result, buttons) {
    const text = note.value.trim();
    if (action === 'close' && !text) {
        result.textContent = 'Give a reason to close the ticket.';
        note.focus();
        return;
    }
    for (const b of buttons) b.disabled = true;
    result.textContent = 'Sending…';
    try {
        const body = text ? (action === 'close' ? { reason: text } : { comment: text }) : {};
        await apiPost(`tickets/${encodeURIComponent(id)}/${action}`, body);
        result.textContent = `${LABELS[action]}: sent to the remediation. The ticket updates here when it acts.`;
        result.dataset.outcome = 'ok';
        note.value = '';
    } catch (err) {
        result.textContent = err instanceof ApiError && err.status === 409 ? `Not now: ${err.message}` : `Failed: ${err.message}`;
        result.dataset.outcome = 'error';
    } finally {
        for (const b of buttons) b.disabled = false;
    }
}
