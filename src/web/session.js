// The signed-in user's token: in memory and sessionStorage (this tab only), renewed before it expires.

const KEY = 'autoheal.session';
const REFRESH_LEAD_MS = 90_000;

// The page lives under /api/dashboard, so the API root is the folder above it.
export const apiBase = new URL(location.pathname.replace(/\/dashboard(\/.*)?$/, '/'), location.origin);

let current = read();
let refreshTimer = 0;
const listeners = new Set();

function read() {
    try {
        const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
        return saved && Date.parse(saved.expiresAt) > Date.now() + 5_000 ? saved : null;
    } catch {
        return null;
    }
}

function save(value) {
    current = value;
    if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
    else sessionStorage.removeItem(KEY);
    scheduleRefresh();
}

export const session = {
    get token() { return current?.token; },
    get user() { return current?.user; },
    get role() { return current?.user?.role; },
    get active() { return current !== null && Date.parse(current.expiresAt) > Date.now(); },
    onEnd(listener) { listeners.add(listener); },
};

async function post(path, token, body) {
    const headers = { accept: 'application/json', 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(new URL(path, apiBase), { method: 'POST', headers, body: JSON.stringify(body ?? {}), cache: 'no-store' });
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(payload.error ?? `HTTP ${response.status}`), { status: response.status });
    return payload;
}

export async function signIn(email, password) {
    const result = await post('auth/login', undefined, { email, password });
    save({ token: result.token, expiresAt: result.expiresAt, user: result.user });
}

/** Ends the session (sign-out, or a token the server no longer accepts) and tells the page. */
export function endSession(reason) {
    if (!current) return;
    save(null);
    for (const listener of listeners) listener(reason);
}

function scheduleRefresh() {
    clearTimeout(refreshTimer);
    if (!current) return;
    const delay = Math.max(5_000, Date.parse(current.expiresAt) - Date.now() - REFRESH_LEAD_MS);
    refreshTimer = setTimeout(async () => {
        try {
            const result = await post('auth/refresh', current?.token);
            save({ token: result.token, expiresAt: result.expiresAt, user: result.user });
        } catch (err) {
            if (err.status === 401) endSession('Your session has ended. Sign in again.');
            else refreshTimer = setTimeout(scheduleRefresh, 30_000);
        }
    }, Math.min(delay, 2 ** 31 - 1));
}

scheduleRefresh();
