// Live updates over Web PubSub (json.webpubsub.azure.v1): negotiate with the user's token, reconnect with
// backoff, negotiate again before the client token expires, and re-sync from the API after any gap.

import { ApiError, apiGet, serverNow } from './api.js';
import { state } from './state.js';

const SUBPROTOCOL = 'json.webpubsub.azure.v1';
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;
const OFFLINE_AFTER_ATTEMPTS = 4;
const TOKEN_REFRESH_LEAD_MS = 60_000;

const indicator = document.querySelector('[data-testid="connection"]');
const text = indicator.querySelector('.connection-text');
const retryButton = indicator.querySelector('.connection-retry');
const live = { socket: null, pending: null, connecting: false, attempt: 0, retryTimer: 0, refreshTimer: 0, stopped: true };
const hooks = { onTicket: () => {}, onOpen: () => {} };

function setConnection(name, label) {
    indicator.dataset.state = name;
    text.textContent = label;
    retryButton.hidden = name !== 'offline';
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
    if (data?.type === 'ticket' && data.ticket) hooks.onTicket(data);
}

function scheduleReconnect(err) {
    clearTimeout(live.retryTimer);
    if (live.stopped) return;
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        setConnection('offline', 'Offline: not signed in');
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
    // A fresh URL is negotiated before the token lapses; the old socket is closed only once the new one is open.
    live.refreshTimer = setTimeout(connect, Math.min(Math.max(1000, remaining - lead), 2 ** 31 - 1));
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
        const gap = !live.socket;
        retire(live.socket);
        live.socket = socket;
        live.attempt = 0;
        setConnection('live', 'Live');
        scheduleTokenRefresh(expiresAt);
        if (gap) hooks.onOpen();
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
            // Up to here the page was in sync; what changes from now on is re-read after the reconnect.
            if (state.inSync) state.syncedAt = serverNow();
            clearTimeout(live.refreshTimer);
            scheduleReconnect();
        }
    });
}

export async function connect() {
    if (live.connecting || live.pending || live.stopped) return;
    clearTimeout(live.retryTimer);
    clearTimeout(live.refreshTimer);
    live.connecting = true;
    if (!live.socket && live.attempt < OFFLINE_AFTER_ATTEMPTS) setConnection('reconnecting', state.everLive ? 'Reconnecting…' : 'Connecting…');
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

export function startLive(h) {
    Object.assign(hooks, h);
    live.stopped = false;
    indicator.hidden = false;
    live.attempt = 0;
    void connect();
}

export function stopLive() {
    live.stopped = true;
    clearTimeout(live.retryTimer);
    clearTimeout(live.refreshTimer);
    for (const socket of [live.socket, live.pending]) retire(socket);
    live.socket = null;
    live.pending = null;
    indicator.hidden = true;
    setConnection('offline', 'Signed out');
}

export function reconnectNow() {
    if (live.stopped || live.socket?.readyState === WebSocket.OPEN) return;
    live.attempt = 0;
    void connect();
}

retryButton.addEventListener('click', reconnectNow);
window.addEventListener('online', reconnectNow);
document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') reconnectNow();
});
