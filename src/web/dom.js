// Small DOM and formatting helpers. Every piece of server text goes through textContent, never HTML.

export const STATUS = {
    open: ['Open', 'info'],
    analysing: ['Analysing', 'info'],
    awaiting_approval: ['Awaiting approval', 'progress'],
    remediating: ['Remediating', 'progress'],
    monitoring: ['Monitoring', 'progress'],
    auto_healed: ['Auto-healed', 'ok'],
    escalated: ['Escalated', 'bad'],
    resolved: ['Resolved', 'ok'],
    ignored: ['Ignored', 'neutral'],
    rejected: ['Rejected', 'bad'],
};
export const SOURCES = { adf: 'Data Factory', databricks: 'Databricks' };
export const ERROR_CLASSES = ['transient', 'capacity', 'infrastructure', 'configuration', 'data', 'code', 'permission', 'unknown'];

export const $ = (id) => document.getElementById(id);

export function el(tag, props = {}, ...children) {
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

export const shortFmt = new Intl.DateTimeFormat(undefined, {
    month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
export const longFmt = new Intl.DateTimeFormat(undefined, {
    month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

export function timeEl(iso, format = longFmt) {
    const ms = Date.parse(iso ?? '');
    if (Number.isNaN(ms)) return el('span', { class: 'muted', text: iso ? String(iso) : '—' });
    return el('time', { dateTime: iso, title: new Date(ms).toISOString(), text: format.format(ms) });
}

export function duration(seconds) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '—';
    const s = Math.round(seconds);
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
    const days = Math.floor(s / 86400);
    const hours = `${Math.floor((s % 86400) / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
    return days ? `${days}d ${hours}` : hours;
}

export function statusBadge(status) {
    const [label, tone] = STATUS[status] ?? [String(status), 'neutral'];
    return el('span', { class: `badge badge-${tone}`, 'data-status': status, text: label });
}

export function priorityBadge(ticket) {
    const breached = ticket.slaBreached === true;
    const badge = el('span', { class: `prio prio-${String(ticket.priority ?? 'P3').toLowerCase()}`, text: ticket.priority ?? '—' });
    const sla = el('span', { class: breached ? 'sla sla-breached' : 'sla', text: breached ? 'SLA breached' : 'SLA' });
    if (ticket.slaDueAt) sla.title = `SLA ${breached ? 'breached at' : 'due'} ${new Date(ticket.slaDueAt).toISOString()}`;
    return [badge, ' ', sla];
}

export function safeHref(url) {
    try {
        const parsed = new URL(url);
        return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
    } catch {
        return undefined;
    }
}

export function announce(message) {
    $('announcer').textContent = message;
}

export function showError(message) {
    const banner = $('error-banner');
    banner.textContent = message ?? '';
    banner.hidden = !message;
}
