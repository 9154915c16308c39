// The detail panel: the ticket, its ownership and urgency, the actions, and the timeline (live).

import { actionsSection } from './actions.js';
import { apiGet } from './api.js';
import { $, duration, el, priorityBadge, safeHref, SOURCES, statusBadge, timeEl } from './dom.js';
import { upsert } from './list.js';
import { state } from './state.js';

const pane = $('detail');
const field = (label, ...value) => [el('dt', { text: label }), el('dd', {}, ...value)];
const section = (title, ...children) => el('section', { class: 'detail-section' }, el('h3', { text: title }), ...children);

function runLink(ticket) {
    const href = ticket.runUrl ? safeHref(ticket.runUrl) : undefined;
    const id = el('code', { text: ticket.runId ?? '—' });
    return href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'run-link' }, id, ' ↗') : id;
}

function analysisSection(result) {
    if (!result?.analysis) return section('Analysis', el('p', { class: 'muted', text: 'No analysis yet.' }));
    const a = result.analysis;
    const fromRules = result.source === 'rules';
    const origin = el('p', { class: `origin ${fromRules ? 'origin-rules' : 'origin-gemini'}`, 'data-source': result.source },
        fromRules ? 'From the deterministic rules (Gemini not used)' : `From ${result.source === 'gemini' ? 'Gemini' : result.source}`);
    const confidence = typeof a.confidence === 'number' ? `${Math.round(a.confidence * 100)}%` : '—';
    return section('Analysis', origin,
        result.note ? el('p', { class: 'note' }, el('strong', { text: 'Note: ' }), result.note) : null,
        el('dl', {}, ...field('Root cause', a.root_cause), ...field('Category', a.category),
            ...field('Auto-heal possible', a.auto_heal_possible ? 'Yes' : 'No'),
            ...field('Recommended action', a.recommended_action), ...field('Confidence', confidence)));
}

function decisionSection(ticket) {
    const decision = ticket.autoHeal === true ? 'Auto-heal: rerun automatically' : ticket.autoHeal === false ? 'Escalate to a human' : 'Pending';
    const reruns = ticket.rerunRunIds?.length
        ? el('ul', { class: 'plain' }, ...ticket.rerunRunIds.map((id) => el('li', {}, el('code', { text: id }))))
        : el('span', { class: 'muted', text: 'None' });
    return section('Decision', el('dl', {}, ...field('Decision', decision), ...field('Reason', ticket.decisionReason ?? '—'),
        ...field('Attempts', ticket.attempts ?? 0), ...field('Rerun run IDs', reruns)));
}

/** Re-renders the open panel when this ticket is the one shown. */
export function renderDetailTicket(ticket) {
    const detail = state.detail;
    if (!detail || detail.id !== ticket.id) return;
    detail.ticket = ticket;
    const close = el('button', { type: 'button', class: 'button close', text: 'Close', 'aria-label': 'Close ticket details' });
    close.addEventListener('click', closeDetail);
    detail.head.replaceChildren(
        el('div', { class: 'detail-title-row' }, el('h2', { id: 'detail-title', text: ticket.pipeline ?? ticket.id }), close),
        el('p', { class: 'detail-meta' }, statusBadge(ticket.status), ...priorityBadge(ticket),
            el('span', { text: SOURCES[ticket.source] ?? ticket.source }), el('span', { text: `severity ${ticket.severity ?? '—'}` }),
            el('code', { text: ticket.id })));
    const where = ticket.factoryResourceId ? ['Factory', ticket.factoryResourceId] : ticket.workspaceId ? ['Workspace', ticket.workspaceId] : null;
    // Rebuilt only when what it offers changes, so a push never wipes a comment being typed.
    const actionsKey = ticket.status;
    if (detail.actionsKey !== actionsKey) [detail.actions, detail.actionsKey] = [actionsSection(ticket), actionsKey];
    detail.body.replaceChildren(
        detail.actions,
        section('Ownership and urgency', el('dl', {},
            ...field('Team', ticket.team ?? '—'), ...field('Owner', ticket.owner ?? '—'), ...field('Cost centre', ticket.costCentre ?? '—'),
            ...field('Priority', ticket.priority ?? '—'),
            ...field(ticket.slaBreached ? 'SLA breached at' : 'SLA due', ticket.slaDueAt ? timeEl(ticket.slaDueAt) : '—'))),
        section('Failure', el('dl', {},
            ...field('Run', runLink(ticket)), ...field('Error code', ticket.errorCode ?? '—'),
            ...field('Error message', el('span', { class: 'prewrap', text: ticket.errorMessage ?? '—' })),
            ...field('Category', ticket.category ?? '—'), ...field('Rule', ticket.ruleId ?? '—'),
            ...(where ? field(where[0], el('span', { class: 'break', text: where[1] })) : []),
            ...field('Alert', ticket.alertId ?? '—'), ...field('Related alerts', ticket.relatedAlerts ?? 0))),
        analysisSection(ticket.analysis),
        decisionSection(ticket),
        section('Timing', el('dl', {}, ...field('Created', timeEl(ticket.createdAt)), ...field('Updated', timeEl(ticket.updatedAt)),
            ...field('Closed', ticket.closedAt ? timeEl(ticket.closedAt) : '—'), ...field('MTTR', duration(ticket.mttrSeconds)),
            ...field('Version', ticket.version ?? '—'))));
}

/** Adds one audit event in time order (a person's action sits between the steps it happened between). */
export function appendTimeline(event) {
    const detail = state.detail;
    const key = `${event?.seq}`;
    if (!detail || !event || event.ticketId !== detail.id || detail.seqs.has(key)) return;
    detail.seqs.add(key);
    const data = event.data && Object.keys(event.data).length
        ? el('details', {}, el('summary', { text: 'Data' }), el('pre', { text: JSON.stringify(event.data, null, 2) }))
        : null;
    const item = el('li', { class: 'timeline-item', 'data-testid': 'timeline-item', 'data-seq': event.seq, 'data-at': event.at, 'data-type': event.type },
        el('div', { class: 'timeline-head' }, el('span', { class: 'event-type', text: event.type }), timeEl(event.at)),
        el('p', { class: 'timeline-summary', text: event.summary }), data);
    const later = (li) => li.dataset.at > event.at || (li.dataset.at === event.at && Number(li.dataset.seq) > event.seq);
    detail.timeline.insertBefore(item, [...detail.timeline.children].find(later) ?? null);
    detail.timelineEmpty.hidden = true;
}

export async function loadDetail(id) {
    try {
        const result = await apiGet(`tickets/${encodeURIComponent(id)}`);
        if (state.detail?.id !== id) return;
        if (result.ticket) upsert(result.ticket, { highlight: false });
        if (result.ticket && !state.detail.ticket) renderDetailTicket(result.ticket);
        for (const event of result.timeline ?? []) appendTimeline(event);
        state.detail.status.textContent = '';
    } catch (err) {
        if (state.detail?.id === id) state.detail.status.textContent = `Could not load this ticket. ${err.message}`;
    }
}

export function openDetail(id) {
    for (const tr of $('ticket-rows').children) tr.classList.toggle('selected', tr.dataset.ticketId === id);
    const head = el('div', { class: 'detail-head' });
    const body = el('div', { class: 'detail-body' });
    const status = el('p', { class: 'muted', role: 'status', text: 'Loading…' });
    const timeline = el('ol', { class: 'timeline' });
    const timelineEmpty = el('p', { class: 'muted', text: 'No events yet.' });
    state.detail = { id, head, body, status, timeline, timelineEmpty, seqs: new Set(), ticket: undefined };
    pane.replaceChildren(head, status, body, section('Timeline', timelineEmpty, timeline));
    pane.hidden = false;
    document.body.classList.add('has-detail');
    const cached = state.tickets.get(id);
    if (cached) renderDetailTicket(cached);
    else head.append(el('h2', { id: 'detail-title', text: id }));
    pane.focus({ preventScroll: true });
    void loadDetail(id);
}

export function closeDetail() {
    const trigger = state.detail ? state.rows.get(state.detail.id)?.querySelector('.row-open') : undefined;
    state.detail = null;
    pane.hidden = true;
    pane.replaceChildren();
    document.body.classList.remove('has-detail');
    for (const tr of $('ticket-rows').children) tr.classList.remove('selected');
    trigger?.focus();
}
