// A small browser for /api/openapi.json (the original system's Swagger UI, without a CDN): operations by
// tag, their parameters, bodies and answers, and the schemas they use.

import { apiGet } from './api.js';
import { el } from './dom.js';
import { apiBase, session } from './session.js';

const main = document.getElementById('docs');
const status = document.getElementById('docs-status');

const refName = (ref) => String(ref).split('/').pop();

function schemaBlock(schema, doc) {
    if (!schema) return null;
    const name = schema.$ref ? refName(schema.$ref) : undefined;
    const resolved = name ? doc.components?.schemas?.[name] : schema;
    return el('details', { class: 'schema' }, el('summary', { text: name ?? (schema.type ?? 'schema') }),
        el('pre', { text: JSON.stringify(resolved, null, 2) }));
}

function parametersTable(parameters = []) {
    if (!parameters.length) return null;
    const rows = parameters.map((p) => el('tr', {},
        el('td', {}, el('code', { text: p.name })), el('td', { text: p.in }), el('td', { text: p.required ? 'yes' : '' }),
        el('td', { text: [p.schema?.type, p.schema?.enum ? p.schema.enum.join(' | ') : ''].filter(Boolean).join(': ') }),
        el('td', { text: p.description ?? '' })));
    return el('table', { class: 'params' },
        el('thead', {}, el('tr', {}, ...['Name', 'In', 'Required', 'Type', 'Description'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, ...rows));
}

function operation(method, path, op, doc) {
    const body = op.requestBody?.content?.['application/json']?.schema;
    const answers = Object.entries(op.responses ?? {}).map(([code, r]) => {
        const media = Object.entries(r.content ?? {})[0];
        return el('li', {}, el('code', { text: code }), ` ${r.description ?? ''}`, media ? schemaBlock(media[1].schema, doc) : null);
    });
    const secured = (op.security ?? doc.security ?? []).length > 0;
    return el('details', { class: 'operation', 'data-testid': 'operation', id: `${method}-${path}` },
        el('summary', {}, el('span', { class: `method method-${method}`, text: method.toUpperCase() }), el('code', { class: 'path', text: path }),
            el('span', { class: 'op-summary', text: op.summary ?? '' }), secured ? el('span', { class: 'lock', text: 'token', title: 'needs a bearer token' }) : null),
        parametersTable(op.parameters),
        body ? el('div', {}, el('h4', { text: 'Request body' }), schemaBlock(body, doc)) : null,
        el('h4', { text: 'Responses' }), el('ul', { class: 'plain responses' }, ...answers));
}

function render(doc) {
    const byTag = new Map();
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
        for (const [method, op] of Object.entries(item)) {
            const tag = op.tags?.[0] ?? 'Other';
            byTag.set(tag, [...(byTag.get(tag) ?? []), operation(method, path, op, doc)]);
        }
    }
    const base = new URL(doc.servers?.[0]?.url ?? '/api', location.origin).href;
    main.replaceChildren(
        el('h2', { text: `${doc.info?.title} ${doc.info?.version}` }),
        el('p', {}, doc.info?.description ?? '', ' Base URL: ', el('code', { text: base }), ` · OpenAPI ${doc.openapi} · `,
            el('a', { href: new URL('openapi.json', apiBase).href, text: 'openapi.json' }), ' (send your bearer token)'),
        ...[...byTag].map(([tag, ops]) => el('section', { class: 'tag' }, el('h3', { text: tag }), ...ops)),
        el('section', { class: 'tag' }, el('h3', { text: 'Schemas' }),
            ...Object.entries(doc.components?.schemas ?? {}).map(([name, s]) => el('details', { class: 'schema', id: `schema-${name}` },
                el('summary', { text: name }), el('pre', { text: JSON.stringify(s, null, 2) })))));
}

if (!session.active) {
    status.replaceChildren('Sign in on the ', el('a', { href: '../dashboard', text: 'dashboard' }), ' first; this page uses the same session.');
} else {
    apiGet('openapi.json').then(render, (err) => (status.textContent = `Could not load the API description. ${err.message}`));
}
