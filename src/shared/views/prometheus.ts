import type { MetricsReport, Stats } from './metrics';

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labels = (l: Record<string, string>) =>
    `{${Object.entries(l).map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;

/** The metrics in the Prometheus text exposition format (0.0.4): gauges over the report's window. */
export function toPrometheus(report: MetricsReport): string {
    const out: string[] = [];
    const family = (name: string, help: string, samples: [Record<string, string>, number | null][]) => {
        out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
        for (const [l, v] of samples) if (v !== null) out.push(`${name}${labels(l)} ${v}`);
    };
    const groups: [Record<string, string>, Stats][] = [
        [{ error_class: 'all', pipeline: 'all' }, report.overall],
        ...report.byErrorClass.map((s): [Record<string, string>, Stats] => [{ error_class: s.errorClass, pipeline: 'all' }, s]),
        ...report.byPipeline.map((s): [Record<string, string>, Stats] => [{ error_class: 'all', pipeline: s.pipeline }, s]),
    ];
    family('autoheal_tickets', 'Tickets created in the window, by status.',
        Object.entries(report.byStatus).map(([status, n]) => [{ status }, n]));
    family('autoheal_mttr_seconds', 'Time to recovery of recovered tickets created in the window (nearest-rank quantiles).',
        groups.flatMap(([l, s]) => [[{ ...l, quantile: '0.5' }, s.mttrSeconds.median], [{ ...l, quantile: '0.9' }, s.mttrSeconds.p90]]));
    family('autoheal_auto_heal_ratio', 'Auto-healed / (auto-healed + escalated) tickets created in the window.',
        groups.map(([l, s]) => [l, s.autoHealRate]));
    family('autoheal_escalated_tickets', 'Tickets handed to a person, created in the window.', groups.map(([l, s]) => [l, s.escalated]));
    family('autoheal_attempts_per_ticket', 'Mean automatic attempts per ticket created in the window.',
        groups.map(([l, s]) => [l, s.attemptsPerTicket]));
    family('autoheal_window_seconds', 'Length of the window these gauges cover.',
        [[{}, (Date.parse(report.window.to) - Date.parse(report.window.from)) / 1000]]);
    return `${out.join('\n')}\n`;
}
