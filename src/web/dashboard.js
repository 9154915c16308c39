// Operators' dashboard: ticket list, detail panel and live updates over Web PubSub.
// Every piece of server text goes through textContent; nothing from the API is parsed as HTML.

const PAGE_SIZE = 50;
const SUBPROTOCOL = 'json.webpubsub.azure.v1';
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;
const OFFLINE_AFTER_ATTEMPTS = 4;
const TOKEN_REFRESH_LEAD_MS = 60_000;
const RESYNC_MAX_PAGES = 10;

const STATUS = {
    open: ['Open', 'info'],
    analysing: ['Analysing', 'info'],
    remediating: ['Remediating', 'progress'],
    monitoring: ['Monitoring', 'progress'],
    auto_healed: ['Auto-healed', 'ok'],
    escalated: ['Escalated', 'bad'],
    resolved: ['Resolved', 'ok'],
    ignored: ['Ignored', 'neutral'],
    rejected: ['Rejected', 'bad'],
};
const SOURCES = { adf: 'Data Factory', databricks: 'Databricks' };

const functionKey = new URLSearchParams(location.search).get('code');
// The page lives at /api/dashboard, so the API root is its parent folder.
const apiBase = new URL(location.pathname.replace(/\/+$/, '').replace(/[^/]*$/, ''), location.origin);

const $ = (id) => document.getElementById(id);
const ui = {
    rows: $('ticket-rows'),
    empty: $('empty'),
    summary: $('tickets-summary'),
    loadMore: $('load-more'),
    refresh: $('refresh'),
    status: $('filter-status'),
    source: $('filter-source'),
    banner: $('error-banner'),
    detail: $('detail'),
    announcer: $('announcer'),
    connection: document.querySelector('[data-testid="connection"]'),
};
ui.connectionText = ui.connection.querySelector('.connection-text');
ui.connectionRetry = ui.connection.querySelector('.connection-retry');

const state = {
    tickets: new Map(),
    rows: new Map(),
    // Newest updatedAt seen per ticket, filtered or not, so replays never regress a row.
    latest: new Map(),
    continuationToken: undefined,
    listGeneration: 0,
    loadedOnce: false,
    everLive: false,
    detail: null,
};

// ---- helpers

class ApiError extends Error {
    constructor(status) {
        super(status === 401 || status === 403
            ? `The function key was refused (HTTP ${status}). Open the dashboard with a valid ?code= key.`
            : `The server answered HTTP ${status}.`);
        this.status = status;
    }
}

async function apiGet(path, query = {}) {
    const url = new URL(path, apiBase);
    for (const [name, value] of Object.entries(query)) {
        if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    const headers = { accept: 'application/json' };
    if (functionKey) headers['x-functions-key'] = functionKey;
    const response = await fetch(url, { headers, cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new ApiError(response.status);
    return response.json();
}

function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = String(value);
        else if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role') node.setAttribute(key, value);
        else node[key] = value;
    }
    for (const child of children) {
        if (child === undefined || child === null || child === false) continue;
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
}

const shortFmt = new Intl.DateTimeFormat(undefined, {
    month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const longFmt = new Intl.DateTimeFormat(undefined, {
    month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

function timeEl(iso, format = longFmt) {
    const ms = Date.parse(iso ?? '');
    if (Number.isNaN(ms)) return el('span', { class: 'muted', text: iso ? String(iso) : '—' });
    return el('time', { dateTime: iso, title: new Date(ms).toISOString(), text: format.format(ms) });
}

function duration(seconds) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '—';
    const s = Math.round(seconds);
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
    const days = Math.floor(s / 86400);
    const hours = `${Math.floor((s % 86400) / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
    return days ? `${days}d ${hours}` : hours;
}

function statusBadge(status) {
    const [label, tone] = STATUS[status] ?? [String(status), 'neutral'];
    return el('span', { class: `badge badge-${tone}`, 'data-status': status, text: label });
}

function safeHref(url) {
    try {
        const parsed = new URL(url);
        return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
    } catch {
        return undefined;
    }
}

function isStale(ticket) {
    const seen = Date.parse(state.latest.get(ticket.id) ?? '');
    const incoming = Date.parse(ticket.updatedAt ?? '');
    return !Number.isNaN(seen) && !Number.isNaN(incoming) && incoming < seen;
}

function newestFirst(a, b) {
    const diff = (Date.parse(b.createdAt) || 0) - (Date.parse(a.createdAt) || 0);
    return diff !== 0 ? diff : String(b.id).localeCompare(String(a.id));
}

function announce(message) {
    ui.announcer.textContent = message;
}

function showError(message) {
    ui.banner.textContent = message ?? '';
    ui.banner.hidden = !message;
}

// ---- ticket list

function matchesFilters(ticket) {
    return (!ui.status.value || ticket.status === ui.status.value)
        && (!ui.source.value || ticket.source === ui.source.value);
}

function renderRow(ticket, tr) {
    tr.setAttribute('data-testid', 'ticket-row');
    tr.dataset.ticketId = ticket.id;
    tr.dataset.status = ticket.status;
    const open = el('button', { type: 'button', class: 'row-open', text: ticket.pipeline ?? ticket.id });
    open.setAttribute('aria-label', `Open ticket ${ticket.id}: ${ticket.pipeline ?? ''}`);
    const run = el('span', { class: 'sub', text: ticket.runId ? `run ${ticket.runId}` : '' });
    const code = ticket.errorCode ? el('span', { class: 'sub', text: ticket.errorCode }) : null;
    tr.replaceChildren(
        el('td', {}, statusBadge(ticket.status)),
        el('td', { class: 'pipeline' }, open, run),
        el('td', { class: 'nowrap', text: SOURCES[ticket.source] ?? ticket.source }),
        el('td', {}, ticket.category ?? '—', code),
        el('td', { class: 'num', text: ticket.attempts ?? 0 }),
        el('td', { class: 'num', text: ticket.relatedAlerts ?? 0 }),
        el('td', { class: 'nowrap' }, timeEl(ticket.createdAt, shortFmt)),
        el('td', { class: 'num', text: duration(ticket.mttrSeconds) }),
    );
    tr.classList.toggle('selected', state.detail?.id === ticket.id);
    return tr;
}

function insertSorted(tr, ticket) {
    for (const row of ui.rows.children) {
        const other = state.tickets.get(row.dataset.ticketId);
        if (other && newestFirst(ticket, other) < 0) {
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

/** Applies one ticket version; returns 'new', 'updated', or undefined when nothing changed. */
function upsert(ticket, { highlight }) {
    if (!ticket || typeof ticket.id !== 'string' || isStale(ticket)) return undefined;
    state.latest.set(ticket.id, ticket.updatedAt);
    if (state.detail?.id === ticket.id) renderDetailTicket(ticket);
    const existing = state.tickets.get(ticket.id);
    if (!matchesFilters(ticket)) {
        if (existing) removeRow(ticket.id);
        return existing ? 'updated' : undefined;
    }
    if (existing && JSON.stringify(existing) === JSON.stringify(ticket)) return undefined;
    const createdChanged = existing && existing.createdAt !== ticket.createdAt;
    state.tickets.set(ticket.id, ticket);
    let tr = state.rows.get(ticket.id);
    if (!tr || createdChanged) {
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

function updateSummary() {
    const count = state.tickets.size;
    ui.empty.hidden = count > 0 || !state.loadedOnce;
    ui.loadMore.hidden = !state.continuationToken;
    if (!state.loadedOnce) return;
    const more = state.continuationToken ? ' · more available' : '';
    const shown = `${count} ticket${count === 1 ? '' : 's'} shown`;
    ui.summary.textContent = `${shown}${more} · synced ${longFmt.format(Date.now())}`;
}

function listQuery(continuationToken) {
    return { status: ui.status.value, source: ui.source.value, limit: PAGE_SIZE, continuationToken };
}

async function reloadList() {
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

async function loadPage(generation, token) {
    ui.loadMore.disabled = true;
    try {
        const page = await apiGet('tickets', listQuery(token));
        if (generation !== state.listGeneration) return;
        for (const ticket of page.tickets ?? []) upsert(ticket, { highlight: false });
        state.continuationToken = page.continuationToken || undefined;
        state.loadedOnce = true;
        showError('');
    } catch (err) {
        if (generation === state.listGeneration) showError(`Could not load tickets. ${err.message}`);
    } finally {
        ui.loadMore.disabled = false;
        updateSummary();
    }
}

/** Catches up after a disconnection: re-reads pages until it passes the oldest row on screen. */
async function resync() {
    const generation = state.listGeneration;
    if (!state.loadedOnce) return loadPage(generation, undefined);
    const oldest = [...state.tickets.values()].sort(newestFirst).at(-1);
    let token;
    try {
        for (let page = 0; page < RESYNC_MAX_PAGES; page++) {
            const result = await apiGet('tickets', listQuery(token));
            if (generation !== state.listGeneration) return undefined;
            const tickets = result.tickets ?? [];
            for (const ticket of tickets) upsert(ticket, { highlight: true });
            token = result.continuationToken || undefined;
            const last = tickets.at(-1);
            if (!token || !last || !oldest || newestFirst(last, oldest) >= 0) break;
        }
        showError('');
    } catch (err) {
        showError(`Could not refresh tickets after reconnecting. ${err.message}`);
    }
    updateSummary();
    if (state.detail) await loadDetail(state.detail.id);
    return undefined;
}

// ---- detail panel

function field(label, ...value) {
    return [el('dt', { text: label }), el('dd', {}, ...value)];
}

function section(title, ...children) {
    return el('section', { class: 'detail-section' }, el('h3', { text: title }), ...children);
}

function runLink(ticket) {
    const href = ticket.runUrl ? safeHref(ticket.runUrl) : undefined;
    const id = el('code', { text: ticket.runId ?? '—' });
    if (!href) return id;
    return el('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'run-link' }, id, ' ↗');
}

function analysisSection(result) {
    if (!result?.analysis) return section('Analysis', el('p', { class: 'muted', text: 'No analysis yet.' }));
    const a = result.analysis;
    const fromRules = result.source === 'rules';
    const originClass = `origin ${fromRules ? 'origin-rules' : 'origin-gemini'}`;
    const origin = el('p', { class: originClass, 'data-source': result.source },
        fromRules ? 'From the deterministic rules (Gemini not used)' : 'From Gemini');
    const confidence = typeof a.confidence === 'number' ? `${Math.round(a.confidence * 100)}%` : '—';
    return section('Analysis', origin,
        result.note ? el('p', { class: 'note' }, el('strong', { text: 'Note: ' }), result.note) : null,
        el('dl', {},
            ...field('Root cause', a.root_cause),
            ...field('Category', a.category),
            ...field('Auto-heal possible', a.auto_heal_possible ? 'Yes' : 'No'),
            ...field('Recommended action', a.recommended_action),
            ...field('Confidence', confidence)));
}

function decisionSection(ticket) {
    let decision = 'Pending';
    if (ticket.autoHeal === true) decision = 'Auto-heal: rerun automatically';
    if (ticket.autoHeal === false) decision = 'Escalate to a human';
    const reruns = ticket.rerunRunIds?.length
        ? el('ul', { class: 'plain' }, ...ticket.rerunRunIds.map((id) => el('li', {}, el('code', { text: id }))))
        : el('span', { class: 'muted', text: 'None' });
    return section('Decision',
        el('dl', {},
            ...field('Decision', decision),
            ...field('Reason', ticket.decisionReason ?? '—'),
            ...field('Attempts', ticket.attempts ?? 0),
            ...field('Rerun run IDs', reruns)));
}

function renderDetailTicket(ticket) {
    const detail = state.detail;
    if (!detail || detail.id !== ticket.id) return;
    detail.ticket = ticket;
    const close = el('button', { type: 'button', class: 'button close', text: 'Close' });
    close.setAttribute('aria-label', 'Close ticket details');
    close.addEventListener('click', closeDetail);
    detail.head.replaceChildren(
        el('div', { class: 'detail-title-row' },
            el('h2', { id: 'detail-title', text: ticket.pipeline ?? ticket.id }), close),
        el('p', { class: 'detail-meta' }, statusBadge(ticket.status),
            el('span', { text: SOURCES[ticket.source] ?? ticket.source }),
            el('span', { text: `severity ${ticket.severity ?? '—'}` }),
            el('code', { text: ticket.id })));
    const owner = ticket.factoryResourceId ?? ticket.workspaceId;
    const ownerLabel = ticket.factoryResourceId ? 'Factory' : 'Workspace';
    detail.body.replaceChildren(
        section('Failure', el('dl', {},
            ...field('Run', runLink(ticket)),
            ...field('Error code', ticket.errorCode ?? '—'),
            ...field('Error message', el('span', { class: 'prewrap', text: ticket.errorMessage ?? '—' })),
            ...field('Category', ticket.category ?? '—'),
            ...field('Rule', ticket.ruleId ?? '—'),
            ...(owner ? field(ownerLabel, el('span', { class: 'break', text: owner })) : []),
            ...field('Alert', ticket.alertId ?? '—'),
            ...field('Related alerts', ticket.relatedAlerts ?? 0))),
        analysisSection(ticket.analysis),
        decisionSection(ticket),
        section('Timing', el('dl', {},
            ...field('Created', timeEl(ticket.createdAt)),
            ...field('Updated', timeEl(ticket.updatedAt)),
            ...field('Closed', ticket.closedAt ? timeEl(ticket.closedAt) : '—'),
            ...field('MTTR', duration(ticket.mttrSeconds)))));
}

function appendTimeline(event) {
    const detail = state.detail;
    if (!detail || !event || event.ticketId !== detail.id || detail.seqs.has(event.seq)) return;
    detail.seqs.add(event.seq);
    const data = event.data && Object.keys(event.data).length
        ? el('details', {}, el('summary', { text: 'Data' }), el('pre', { text: JSON.stringify(event.data, null, 2) }))
        : null;
    const item = el('li', { class: 'timeline-item', 'data-testid': 'timeline-item', 'data-seq': event.seq },
        el('div', { class: 'timeline-head' }, el('span', { class: 'event-type', text: event.type }), timeEl(event.at)),
        el('p', { class: 'timeline-summary', text: event.summary }), data);
    const after = [...detail.timeline.children].find((li) => Number(li.dataset.seq) > event.seq);
    detail.timeline.insertBefore(item, after ?? null);
    detail.timelineEmpty.hidden = true;
}

async function loadDetail(id) {
    try {
        const result = await apiGet(`tickets/${encodeURIComponent(id)}`);
        if (state.detail?.id !== id) return;
        // upsert re-renders the open panel unless a push already brought a newer version.
        if (result.ticket) upsert(result.ticket, { highlight: false });
        if (result.ticket && !state.detail.ticket) renderDetailTicket(result.ticket);
        for (const event of result.timeline ?? []) appendTimeline(event);
        state.detail.status.textContent = '';
    } catch (err) {
        if (state.detail?.id === id) state.detail.status.textContent = `Could not load this ticket. ${err.message}`;
    }
}

function openDetail(id) {
    for (const tr of ui.rows.children) tr.classList.toggle('selected', tr.dataset.ticketId === id);
    const head = el('div', { class: 'detail-head' });
    const body = el('div', { class: 'detail-body' });
    const status = el('p', { class: 'muted', role: 'status', text: 'Loading…' });
    const timeline = el('ol', { class: 'timeline' });
    const timelineEmpty = el('p', { class: 'muted', text: 'No events yet.' });
    state.detail = { id, head, body, status, timeline, timelineEmpty, seqs: new Set(), ticket: undefined };
    ui.detail.replaceChildren(head, status, body, section('Timeline', timelineEmpty, timeline));
    ui.detail.hidden = false;
    document.body.classList.add('has-detail');
    const cached = state.tickets.get(id);
    if (cached) renderDetailTicket(cached);
    else head.append(el('h2', { id: 'detail-title', text: id }));
    ui.detail.focus({ preventScroll: true });
    void loadDetail(id);
}

function closeDetail() {
    const trigger = state.detail ? state.rows.get(state.detail.id)?.querySelector('.row-open') : undefined;
    state.detail = null;
    ui.detail.hidden = true;
    ui.detail.replaceChildren();
    document.body.classList.remove('has-detail');
    for (const tr of ui.rows.children) tr.classList.remove('selected');
    trigger?.focus();
}

// ---- live connection

const live = { socket: null, pending: null, connecting: false, attempt: 0, retryTimer: 0, refreshTimer: 0 };

function setConnection(stateName, text) {
    ui.connection.dataset.state = stateName;
    ui.connectionText.textContent = text;
    ui.connectionRetry.hidden = stateName !== 'offline';
}

function onTicketMessage(data) {
    if (!data || data.type !== 'ticket' || !data.ticket) return;
    const change = upsert(data.ticket, { highlight: true });
    if (data.event) appendTimeline(data.event);
    const label = STATUS[data.ticket.status]?.[0] ?? data.ticket.status;
    if (change === 'new') announce(`New ticket: ${data.ticket.pipeline}, ${label}`);
    else if (change === 'updated') announce(`${data.ticket.pipeline} is now ${label}`);
    updateSummary();
}

function onSocketMessage(raw) {
    let message;
    try {
        message = JSON.parse(raw);
    } catch {
        return;
    }
    if (message?.type !== 'message') return;
    let data = message.data;
    if (typeof data === 'string') {
        try {
            data = JSON.parse(data);
        } catch {
            return;
        }
    }
    onTicketMessage(data);
}

function scheduleReconnect(err) {
    clearTimeout(live.retryTimer);
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        setConnection('offline', 'Offline: function key refused');
        showError(err.message);
        return;
    }
    live.attempt += 1;
    const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (live.attempt - 1));
    const delay = Math.round(backoff * (0.75 + Math.random() * 0.5));
    if (live.attempt >= OFFLINE_AFTER_ATTEMPTS || navigator.onLine === false) {
        setConnection('offline', `Offline: retrying in ${Math.ceil(delay / 1000)}s`);
    } else {
        setConnection('reconnecting', 'Reconnecting…');
    }
    live.retryTimer = setTimeout(connect, delay);
}

function scheduleTokenRefresh(expiresAt) {
    clearTimeout(live.refreshTimer);
    const remaining = Date.parse(expiresAt ?? '') - Date.now();
    if (Number.isNaN(remaining)) return;
    const lead = Math.min(TOKEN_REFRESH_LEAD_MS, remaining / 2);
    const delay = Math.min(Math.max(1000, remaining - lead), 2 ** 31 - 1);
    // A fresh URL is negotiated before the token lapses; the old socket is closed only once the new one is open.
    live.refreshTimer = setTimeout(connect, delay);
}

function retire(socket) {
    if (!socket) return;
    socket.retired = true;
    socket.close(1000, 'replaced');
}

function openSocket(url, expiresAt) {
    const socket = new WebSocket(url, SUBPROTOCOL);
    live.pending = socket;
    socket.addEventListener('open', () => {
        if (live.pending !== socket) return;
        live.pending = null;
        retire(live.socket);
        live.socket = socket;
        live.attempt = 0;
        setConnection('live', 'Live');
        scheduleTokenRefresh(expiresAt);
        void resync();
    });
    socket.addEventListener('message', (event) => {
        if (typeof event.data === 'string') onSocketMessage(event.data);
    });
    socket.addEventListener('close', () => {
        if (socket.retired) return;
        if (live.pending === socket) {
            live.pending = null;
            // A failed token refresh while the old socket still works: try again later, stay live.
            if (live.socket?.readyState === WebSocket.OPEN) live.refreshTimer = setTimeout(connect, RETRY_MAX_MS);
            else scheduleReconnect();
        } else if (live.socket === socket) {
            live.socket = null;
            clearTimeout(live.refreshTimer);
            scheduleReconnect();
        }
    });
}

async function connect() {
    if (live.connecting || live.pending) return;
    clearTimeout(live.retryTimer);
    clearTimeout(live.refreshTimer);
    live.connecting = true;
    if (!live.socket && live.attempt < OFFLINE_AFTER_ATTEMPTS) {
        setConnection('reconnecting', state.everLive ? 'Reconnecting…' : 'Connecting…');
    }
    try {
        const negotiated = await apiGet('negotiate');
        if (typeof negotiated?.url !== 'string') throw new Error('negotiate returned no url');
        state.everLive = true;
        openSocket(negotiated.url, negotiated.expiresAt);
    } catch (err) {
        if (live.socket?.readyState === WebSocket.OPEN) live.refreshTimer = setTimeout(connect, RETRY_MAX_MS);
        else scheduleReconnect(err);
    } finally {
        live.connecting = false;
    }
}

function reconnectNow() {
    if (live.socket?.readyState === WebSocket.OPEN) return;
    live.attempt = 0;
    void connect();
}

// ---- wiring

ui.rows.addEventListener('click', (event) => {
    const tr = event.target.closest('tr[data-ticket-id]');
    if (!tr || event.target.closest('a')) return;
    openDetail(tr.dataset.ticketId);
});
ui.status.addEventListener('change', () => void reloadList());
ui.source.addEventListener('change', () => void reloadList());
ui.refresh.addEventListener('click', () => void reloadList());
ui.loadMore.addEventListener('click', () => void loadPage(state.listGeneration, state.continuationToken));
ui.connectionRetry.addEventListener('click', reconnectNow);
document.getElementById('filters').addEventListener('submit', (event) => event.preventDefault());
document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.detail) closeDetail();
});
window.addEventListener('online', reconnectNow);
document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') reconnectNow();
});

void reloadList();
void connect();
