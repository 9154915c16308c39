// The filter form: the query the API gets, the same test applied to pushed tickets, and counts by status.

import { $, el, ERROR_CLASSES, STATUS } from './dom.js';

const form = $('filters');
const fields = {
    status: $('filter-status'), source: $('filter-source'), priority: $('filter-priority'), errorClass: $('filter-class'),
    pipeline: $('filter-pipeline'), team: $('filter-team'), from: $('filter-from'), to: $('filter-to'),
    breached: $('filter-breached'), sort: $('filter-sort'),
};
for (const [value, [label]] of Object.entries(STATUS)) fields.status.append(el('option', { value, text: label }));
for (const value of ERROR_CLASSES) fields.errorClass.append(el('option', { value, text: value }));

const dayStart = (value) => (value ? new Date(`${value}T00:00:00`).toISOString() : undefined);
const nextDay = (value) => (value ? new Date(new Date(`${value}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined);

/** The filters as API query parameters (dates are local days; "to" includes its whole day). */
export function filterQuery() {
    return {
        status: fields.status.value, source: fields.source.value, priority: fields.priority.value,
        errorClass: fields.errorClass.value, pipeline: fields.pipeline.value.trim(), team: fields.team.value.trim(),
        from: dayStart(fields.from.value), to: nextDay(fields.to.value),
        breached: fields.breached.checked ? 'true' : undefined, sort: fields.sort.value,
    };
}

/** The API's filters, applied to a ticket pushed live or re-read after a reconnect. */
export function matchesFilters(t) {
    const q = filterQuery();
    const same = (a, b) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
    return (!q.status || t.status === q.status) && (!q.source || t.source === q.source)
        && (!q.priority || t.priority === q.priority) && (!q.errorClass || t.category === q.errorClass)
        && (!q.pipeline || String(t.pipeline).toLowerCase().includes(q.pipeline.toLowerCase()))
        && (!q.team || same(t.team, q.team)) && (!q.from || t.createdAt >= q.from) && (!q.to || t.createdAt < q.to)
        && (!q.breached || t.slaBreached === true);
}

/** Order of the list for the chosen sort (the API's order: time, then id). */
export function compareTickets(a, b) {
    const sort = fields.sort.value;
    const key = (t) => (sort.startsWith('updated') ? t.updatedAt : t.createdAt);
    const byTime = sort.endsWith('asc') ? String(key(a)).localeCompare(key(b)) : String(key(b)).localeCompare(key(a));
    return byTime || String(a.id).localeCompare(String(b.id));
}

export function onFiltersChange(handler) {
    let timer = 0;
    form.addEventListener('change', () => handler());
    form.addEventListener('input', (event) => {
        if (event.target.type !== 'search') return;
        clearTimeout(timer);
        timer = setTimeout(handler, 350);
    });
    form.addEventListener('submit', (event) => event.preventDefault());
}

/** Chips with the count per status (over the other filters); a chip filters by its status. */
export function renderCounts(counts, onPick) {
    const total = Object.values(counts ?? {}).reduce((n, c) => n + c, 0);
    const chip = (value, label, n) => {
        const button = el('button', { type: 'button', class: 'chip', 'data-status': value, 'aria-pressed': String(fields.status.value === value) },
            label, el('span', { class: 'chip-count', text: n }));
        button.addEventListener('click', () => {
            fields.status.value = value;
            onPick();
        });
        return button;
    };
    const chips = Object.keys(STATUS).filter((s) => counts?.[s]).map((s) => chip(s, STATUS[s][0], counts[s]));
    $('counts').replaceChildren(chip('', 'All', total), ...chips);
}
