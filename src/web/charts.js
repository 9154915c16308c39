// Metrics: a few figures and two hand-drawn SVG charts (no charting library, no CDN).

import { apiGet } from './api.js';
import { $, duration, el } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 520;
const H = 190;
const PAD = { left: 44, right: 12, top: 12, bottom: 26 };

function svg(tag, attrs = {}, ...children) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    for (const child of children) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    return node;
}

function frame(label) {
    return svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'chart-svg' }, svg('title', {}, label));
}

const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`);
const bucketLabel = (iso, hourly) => new Intl.DateTimeFormat(undefined, hourly ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { month: 'short', day: 'numeric' }).format(Date.parse(iso));

/** Median MTTR per bucket as a line with points; gaps where nothing recovered. */
export function mttrChart(series) {
    const points = series.filter((b) => typeof b.medianSeconds === 'number');
    const latest = points.at(-1);
    const chart = frame(points.length ? `Median MTTR over time: ${points.length} periods with recoveries, latest ${duration(latest.medianSeconds)}` : 'Median MTTR over time: no recoveries in this window');
    const maxMin = Math.max(1, ...points.map((b) => b.medianSeconds / 60));
    const x = (i) => PAD.left + (series.length <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (series.length - 1));
    const y = (minutes) => H - PAD.bottom - (minutes / maxMin) * (H - PAD.top - PAD.bottom);
    chart.append(
        svg('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, class: 'axis' }),
        svg('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, class: 'axis' }),
        svg('text', { x: PAD.left - 6, y: PAD.top + 4, class: 'tick', 'text-anchor': 'end' }, maxMin.toFixed(maxMin < 10 ? 1 : 0)),
        svg('text', { x: PAD.left - 6, y: H - PAD.bottom, class: 'tick', 'text-anchor': 'end' }, '0'),
    );
    const hourly = series.length > 1 && Date.parse(series[1].bucket) - Date.parse(series[0].bucket) < 86_400_000;
    if (series.length) {
        chart.append(svg('text', { x: PAD.left, y: H - 8, class: 'tick' }, bucketLabel(series[0].bucket, hourly)));
        chart.append(svg('text', { x: W - PAD.right, y: H - 8, class: 'tick', 'text-anchor': 'end' }, bucketLabel(series.at(-1).bucket, hourly)));
    }
    let path = '';
    series.forEach((b, i) => {
        if (typeof b.medianSeconds !== 'number') return;
        path += `${path && typeof series[i - 1]?.medianSeconds === 'number' ? 'L' : 'M'}${x(i).toFixed(1)},${y(b.medianSeconds / 60).toFixed(1)} `;
        chart.append(svg('circle', { cx: x(i).toFixed(1), cy: y(b.medianSeconds / 60).toFixed(1), r: 3.5, class: 'point' },
            svg('title', {}, `${bucketLabel(b.bucket, hourly)}: median ${duration(b.medianSeconds)} over ${b.recovered} recovered`)));
    });
    if (path) chart.insertBefore(svg('path', { d: path.trim(), class: 'line' }), chart.querySelector('circle'));
    if (!points.length) chart.append(svg('text', { x: W / 2, y: H / 2, class: 'empty-note', 'text-anchor': 'middle' }, 'No recoveries in this window'));
    return chart;
}

/** Auto-heal rate per error class as horizontal bars. */
export function healChart(byClass) {
    const rows = byClass.filter((c) => c.autoHealed + c.escalated > 0);
    const chart = frame(`Auto-heal rate by error class: ${rows.map((c) => `${c.errorClass} ${pct(c.autoHealRate)}`).join(', ') || 'no decided tickets'}`);
    const rowH = Math.min(28, (H - PAD.top) / Math.max(1, rows.length));
    const left = 110;
    const width = W - left - 70;
    rows.forEach((c, i) => {
        const top = PAD.top + i * rowH;
        chart.append(
            svg('text', { x: left - 8, y: top + rowH * 0.65, class: 'tick', 'text-anchor': 'end' }, c.errorClass),
            svg('rect', { x: left, y: top + 3, width, height: rowH - 8, class: 'bar-bg', rx: 3 }),
            svg('rect', { x: left, y: top + 3, width: Math.max(0, (c.autoHealRate ?? 0) * width).toFixed(1), height: rowH - 8, class: 'bar', rx: 3 }),
            svg('text', { x: left + width + 6, y: top + rowH * 0.65, class: 'tick' }, `${pct(c.autoHealRate)} (${c.autoHealed}/${c.autoHealed + c.escalated})`),
        );
    });
    if (!rows.length) chart.append(svg('text', { x: W / 2, y: H / 2, class: 'empty-note', 'text-anchor': 'middle' }, 'Nothing decided in this window'));
    return chart;
}

function kpi(label, value, testid) {
    return el('div', { class: 'kpi', 'data-testid': testid }, el('span', { class: 'kpi-value', text: value }), el('span', { class: 'kpi-label', text: label }));
}

let pending = 0;
/** Loads and draws the metrics for the chosen window; called again (debounced) as tickets close. */
export async function loadMetrics() {
    try {
        const m = await apiGet('metrics', { window: $('metrics-window').value, format: 'json' });
        const o = m.overall;
        $('kpis').replaceChildren(
            kpi('Tickets', o.tickets, 'kpi-tickets'), kpi('MTTR median', duration(o.mttrSeconds.median ?? undefined), 'kpi-mttr'),
            kpi('MTTR p90', duration(o.mttrSeconds.p90 ?? undefined), 'kpi-mttr-p90'), kpi('Auto-heal rate', pct(o.autoHealRate), 'kpi-heal'),
            kpi('Escalations', o.escalated, 'kpi-escalated'),
            kpi('Attempts / ticket', o.attemptsPerTicket === null ? '—' : o.attemptsPerTicket.toFixed(1), 'kpi-attempts'));
        $('chart-mttr').replaceChildren(mttrChart(m.mttrOverTime));
        $('chart-heal').replaceChildren(healChart(m.byErrorClass));
    } catch (err) {
        $('kpis').replaceChildren(el('p', { class: 'muted', text: `Metrics unavailable. ${err.message}` }));
    }
}

export function metricsSoon() {
    clearTimeout(pending);
    pending = setTimeout(() => void loadMetrics(), 3_000);
}

$('metrics-window').addEventListener('change', () => void loadMetrics());
