// The ticket list: pages from the API, live updates applied by version, and re-sync after a reconnect.

import { apiGet, serverNow } from './api.js';
import { $, duration, el, longFmt, priorityBadge, showError, SOURCES, statusBadge, timeEl, shortFmt } from './dom.js';
import { compareTickets, filterQuery, matchesFilters, renderCounts } from './filters.js';
import { isStale, remember, state } from './state.js';

const PAGE_SIZE = 50;
const RESYNC_PAGE_SIZE = 200;
const RESYNC_MAX_PAGES = 10;
// Messages in flight when the socket dropped, and clocks a little apart: re-read a minute before.
const RESYNC_MARGIN_MS = 60_000;

const ui = { rows: $('ticket-rows'), empty: $('empty'), summary: $('tickets-summary'), loadMore: $('load-more') };
const hooks = { onDetailTicket: () => {}, onCountsStale: () => {} };
export const setListHooks = (h) => Object.assign(hooks, h);

function renderRow(ticket, tr) {
    tr.setAttribute('data-testid', 'ticket-row');
    tr.dataset.ticketId = ticket.id;
    tr.dataset.status = ticket.status;
    tr.dataset.version = ticket.version ?? '';
    const open = el('button', { type: 'button', class: 'row-open', text: ticket.pipeline ?? ticket.id });
    open.setAttribute('aria-label', `Open ticket ${ticket.id}: ${ticket.pipeline ?? ''}`);
    const run = el('span', { class: 'sub', text: ticket.runId ? `run ${ticket.runId}` : '' });
    const code = ticket.errorCode ? el('span', { class: 'sub', text: ticket.errorCode }) : null;
    tr.replaceChildren(
        el('td', {}, statusBadge(ticket.status)),
        el('td', { class: 'nowrap' }, ...priorityBadge(ticket)),
        el('td', { class: 'pipeline' }, open, run, el('span', { class: 'sub', text: SOURCES[ticket.source] ?? ticket.source })),
        el('td', {}, ticket.team ?? '—', ticket.owner ? el('span', { class: 'sub', text: ticket.owner }) : null),
        el('td', {}, ticket.category ?? '—', code),
        el('td', { class: 'num', text: ticket.attempts ?? 0 }),
        el('td', { class: 'nowrap' }, timeEl(ticket.createdAt, shortFmt)),
        el('td', { class: 'num', text: duration(ticket.mttrSeconds) }),
    );
    tr.classList.toggle('selected', state.detail?.id === ticket.id);
    return tr;
}

function insertSorted(tr, ticket) {
    for (const row of ui.rows.children) {
        const other = state.tickets.get(row.dataset.ticketId);
        if (other && compareTickets(ticket, other) < 0) {
            ui.rows.insertBefore(tr, row);
            return;
        }
    }
    ui.rows.append(tr);
}

function flash(tr) {
    tr.classList.remove('flash');
    void tr.offsetWidth; // restart the animation on repeated updates
    tr.classList.add('flash');
    clearTimeout(tr.flashTimer);
    tr.flashTimer = setTimeout(() => tr.classList.remove('flash'), 2500);
}

function removeRow(id) {
    state.rows.get(id)?.remove();
    state.rows.delete(id);
    state.tickets.delete(id);
}

/** Applies one ticket version; returns 'new', 'updated', or undefined when nothing changed (or it was older). */
export function upsert(ticket, { highlight }) {
    if (!ticket || typeof ticket.id !== 'string' || isStale(ticket)) return undefined;
    remember(ticket);
    hooks.onDetailTicket(ticket);
    const existing = state.tickets.get(ticket.id);
    if (!matchesFilters(ticket)) {
        if (existing) removeRow(ticket.id);
        return existing ? 'updated' : undefined;
    }
    if (existing && JSON.stringify(existing) === JSON.stringify(ticket)) return undefined;
    state.tickets.set(ticket.id, ticket);
    let tr = state.rows.get(ticket.id);
    if (!tr || !existing || compareTickets(existing, ticket) !== 0) {
        tr?.remove();
        tr = renderRow(ticket, tr ?? document.createElement('tr'));
        state.rows.set(ticket.id, tr);
        insertSorted(tr, ticket);
    } else {
        renderRow(ticket, tr);
    }
    if (highlight) flash(tr);
    return existing ? 'updated' : 'new';
}

export function updateSummary() {
    const count = state.tickets.size;
    ui.empty.hidden = count > 0 || !state.loadedOnce;
    ui.loadMore.hidden = !state.continuationToken;
    if (!state.loadedOnce) return;
    const more = state.continuationToken ? ' · more available' : '';
    ui.summary.textContent = `${count} ticket${count === 1 ? '' : 's'} shown${more} · synced ${longFmt.format(Date.now())}`;
}

export async function reloadList() {
    const generation = ++state.listGeneration;
    state.tickets.clear();
    state.rows.clear();
    ui.rows.replaceChildren();
    state.continuationToken = undefined;
    state.loadedOnce = false;
    ui.summary.textContent = 'Loading tickets…';
    updateSummary();
    await loadPage(generation, undefined);
}

export async function loadPage(generation = state.listGeneration, token = state.continuationToken) {
    ui.loadMore.disabled = true;
    try {
        const startedAt = serverNow();
        const page = await apiGet('tickets', { ...filterQuery(), limit: PAGE_SIZE, continuationToken: token });
        if (generation !== state.listGeneration) return;
        for (const ticket of page.tickets ?? []) upsert(ticket, { highlight: false });
        state.continuationToken = page.continuationToken || undefined;
        if (!token) [state.syncedAt, state.inSync] = [startedAt, true];
        state.loadedOnce = true;
        refreshCounts(page.counts);
        showError('');
    } catch (err) {
        if (generation === state.listGeneration) showError(`Could not load tickets. ${err.message}`);
        if (!token) state.inSync = false;
    } finally {
        ui.loadMore.disabled = false;
        updateSummary();
    }
}

export function refreshCounts(counts) {
    state.counts = counts ?? {};
    renderCounts(state.counts, () => void reloadList());
}

/** After a reconnect: re-reads every ticket updated since the page was last in sync, whatever the filters. */
export async function resync() {
    const generation = state.listGeneration;
    if (!state.loadedOnce || state.syncedAt === undefined) return loadPage(generation, undefined);
    const since = new Date(state.syncedAt - RESYNC_MARGIN_MS).toISOString();
    const startedAt = serverNow();
    let token;
    try {
        for (let page = 0; page < RESYNC_MAX_PAGES; page++) {
            const result = await apiGet('tickets', { updatedSince: since, sort: 'updated_desc', limit: RESYNC_PAGE_SIZE, continuationToken: token });
            if (generation !== state.listGeneration) return undefined;
            for (const ticket of result.tickets ?? []) upsert(ticket, { highlight: true });
            token = result.continuationToken || undefined;
            if (!token) break;
        }
        if (token) return reloadList(); // more changed than a re-sync should read: start over
        [state.syncedAt, state.inSync] = [startedAt, true];
        showError('');
        hooks.onCountsStale();
    } catch (err) {
        state.inSync = false;
        showError(`Could not refresh tickets after reconnecting. ${err.message}`);
    }
    updateSummary();
    return undefined;
}
