// The dashboard: sign-in, the ticket list with filters and counts, the detail panel, live updates, metrics.

import { apiDownload, apiGet } from './api.js';
import { loadMetrics, metricsSoon } from './charts.js';
import { appendTimeline, closeDetail, loadDetail, openDetail, renderDetailTicket } from './detail.js';
import { $, announce, showError, STATUS } from './dom.js';
import { filterQuery, onFiltersChange } from './filters.js';
import { loadPage, refreshCounts, reloadList, resync, setListHooks, updateSummary, upsert } from './list.js';
import { startLive, stopLive } from './live.js';
import { endSession, session, signIn } from './session.js';
import { state } from './state.js';

const FINAL = new Set(['auto_healed', 'escalated', 'resolved', 'ignored', 'rejected']);
let countsTimer = 0;

/** Counts by status drift as pushed tickets change status: re-read them (one small request) shortly after. */
function countsSoon() {
    clearTimeout(countsTimer);
    countsTimer = setTimeout(async () => {
        try {
            refreshCounts((await apiGet('tickets', { ...filterQuery(), limit: 1 })).counts);
        } catch {
            /* the next change tries again */
        }
    }, 300);
}

function onTicket(data) {
    const change = upsert(data.ticket, { highlight: true });
    if (data.event) appendTimeline(data.event);
    const label = STATUS[data.ticket.status]?.[0] ?? data.ticket.status;
    if (change === 'new') announce(`New ticket: ${data.ticket.pipeline}, ${label}`);
    else if (change === 'updated') announce(`${data.ticket.pipeline} is now ${label}`);
    if (change) countsSoon();
    if (change === 'new' || (change && FINAL.has(data.ticket.status))) metricsSoon();
    updateSummary();
}

function showLogin(message) {
    stopLive();
    closeDetail();
    $('app').hidden = true;
    $('whoami').hidden = true;
    $('login').hidden = false;
    const error = $('login-error');
    error.textContent = message ?? '';
    error.hidden = !message;
    $('login-email').focus();
}

function startApp() {
    $('login').hidden = true;
    $('app').hidden = false;
    $('whoami').hidden = false;
    $('whoami-text').textContent = `${session.user?.name ?? session.user?.email} · ${session.role}`;
    document.body.dataset.role = session.role ?? '';
    void reloadList();
    void loadMetrics();
    startLive({
        onTicket,
        onOpen: async () => {
            await resync();
            if (state.detail) await loadDetail(state.detail.id);
        },
    });
}

$('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = $('login-submit');
    button.disabled = true;
    try {
        await signIn($('login-email').value, $('login-password').value);
        $('login-password').value = '';
        startApp();
    } catch (err) {
        showLogin(err.status === 401 ? 'Wrong e-mail or password.' : `Could not sign in. ${err.message}`);
    } finally {
        button.disabled = false;
    }
});
$('sign-out').addEventListener('click', () => endSession('You signed out.'));
session.onEnd((reason) => showLogin(reason));

setListHooks({ onDetailTicket: renderDetailTicket, onCountsStale: countsSoon });
onFiltersChange(() => void reloadList());
$('ticket-rows').addEventListener('click', (event) => {
    const tr = event.target.closest('tr[data-ticket-id]');
    if (tr && !event.target.closest('a')) openDetail(tr.dataset.ticketId);
});
$('refresh').addEventListener('click', () => {
    void reloadList();
    void loadMetrics();
});
$('load-more').addEventListener('click', () => void loadPage());
for (const [id, path] of [['export-tickets', 'export/tickets'], ['export-audit', 'export/audit']]) {
    $(id).addEventListener('click', () => {
        apiDownload(path, filterQuery()).catch((err) => showError(`Export failed. ${err.message}`));
    });
}
document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.detail) closeDetail();
});

if (session.active) startApp();
else showLogin();
