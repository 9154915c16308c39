import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';

import { blockFrom, type BicepFile, declarations, entries, file, INFRA, loadBicepFiles } from './bicep';

const files = loadBicepFiles();
const main = file(files, 'main.bicep');

const params = (f: BicepFile) => declarations(f).filter((d) => d.kind === 'param');
const hasDefault = (rest: string) => /=/.test(rest);

/** Occurrences of an identifier outside its declaration and outside object keys (`name:` at a line start). */
function uses(f: BicepFile, name: string, declaredAt: number): number {
    const word = new RegExp(`(?<![\\w.$])${name}(?![\\w])`, 'g');
    let count = 0;
    for (const m of f.code.matchAll(word)) {
        if (m.index >= declaredAt && m.index < declaredAt + `param ${name}`.length) continue;
        const lineStart = f.code.lastIndexOf('\n', m.index) + 1;
        const isKey = /^\s*$/.test(f.code.slice(lineStart, m.index)) && /^\s*:/.test(f.code.slice(m.index + name.length));
        if (!isKey) count++;
    }
    return count;
}

function modules(f: BicepFile) {
    return declarations(f)
        .filter((d) => d.kind === 'module')
        .map((d) => {
            const path = /^'([^']+)'/.exec(d.rest)?.[1] ?? '';
            const body = blockFrom(f.code, d.at);
            const paramsBlock = entries(body.text).find((e) => e.key === 'params')?.value ?? '{}';
            return { decl: d, path, passed: entries(paramsBlock).map((e) => e.key) };
        });
}

describe('Bicep structure (checked here because no Bicep compiler runs on these machines)', () => {
    it('finds the azd layout: main.bicep, its parameters file, modules, azure.yaml', () => {
        assert.ok(files.length >= 8, `${files.length} Bicep files`);
        assert.ok(existsSync(join(INFRA, 'main.parameters.json')));
        const azure = readFileSync(join(INFRA, '..', 'azure.yaml'), 'utf8');
        assert.match(azure, /^services:\s*\n\s+api:\s*\n(\s+\w+:.*\n)*?\s+host: function$/m);
        assert.match(azure, /^\s+language: ts$/m);
        assert.match(main.code, /^targetScope = 'subscription'$/m);
    });

    it('declares each parameter once per file and uses every one', () => {
        const problems: string[] = [];
        for (const f of files) {
            const seen = new Set<string>();
            for (const p of params(f)) {
                if (seen.has(p.name)) problems.push(`${f.rel}: param ${p.name} declared twice`);
                seen.add(p.name);
                if (uses(f, p.name, p.at) === 0) problems.push(`${f.rel}: param ${p.name} is never used`);
            }
        }
        assert.deepEqual(problems, []);
    });

    it('references only modules that exist, and passes each exactly the parameters it declares', () => {
        const problems: string[] = [];
        for (const f of files) {
            for (const m of modules(f)) {
                if (/^br[:/]/.test(m.path)) {
                    if (!/:\d+\.\d+\.\d+$/.test(m.path)) problems.push(`${f.rel}: registry module ${m.path} is not pinned`);
                    continue;
                }
                const target = join(dirname(f.path), m.path);
                const module = files.find((t) => t.path === target);
                if (!module) {
                    problems.push(`${f.rel}: module ${m.decl.name} → ${m.path} does not exist`);
                    continue;
                }
                const declared = params(module);
                for (const key of m.passed) {
                    if (!declared.some((p) => p.name === key)) problems.push(`${f.rel}: ${m.decl.name} passes unknown param ${key}`);
                }
                for (const p of declared.filter((d) => !hasDefault(d.rest))) {
                    if (!m.passed.includes(p.name)) problems.push(`${f.rel}: ${m.decl.name} misses required param ${p.name}`);
                }
            }
        }
        assert.deepEqual(problems, []);
    });

    it('keeps main.parameters.json in step with main.bicep', () => {
        const json = JSON.parse(readFileSync(join(INFRA, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, unknown> };
        const given = Object.keys(json.parameters);
        const declared = params(main);
        assert.deepEqual(given.filter((g) => !declared.some((p) => p.name === g)), [], 'parameters main.bicep does not declare');
        const required = declared.filter((p) => !hasDefault(p.rest)).map((p) => p.name);
        assert.deepEqual(required.filter((r) => !given.includes(r)), [], 'required parameters without a value');
    });

    it('marks every parameter that could hold a secret @secure(), and keeps list*() results out of parameters, variables and outputs', () => {
        const problems: string[] = [];
        const secretName = /(secret|password|passwd|token|apikey|api_key|connectionstring|accesskey|functionkey|sas)$|key$/i;
        for (const f of files) {
            for (const d of declarations(f)) {
                if (d.kind === 'param' && secretName.test(d.name) && !d.decorators.includes('@secure()')) {
                    problems.push(`${f.rel}: param ${d.name} is not @secure()`);
                }
                const line = f.code.split('\n')[d.line - 1] ?? '';
                if (['param', 'var', 'output'].includes(d.kind) && /\blist\w*\(/.test(line)) problems.push(`${f.rel}: ${d.kind} ${d.name} holds a list*() result`);
            }
        }
        assert.deepEqual(problems, []);
    });

    it('carries no secret-looking literal (account keys, SAS signatures, long opaque tokens)', () => {
        const problems: string[] = [];
        for (const f of files) {
            for (const m of f.code.matchAll(/'([^'\n]*)'/g)) {
                const s = m[1]!;
                const guid = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(s);
                if (/AccountKey=|SharedAccessSignature|[?&]sig=|-----BEGIN/i.test(s) || (!guid && /^[A-Za-z0-9+/=_-]{32,}$/.test(s))) {
                    problems.push(`${f.rel}: '${s.slice(0, 12)}…'`);
                }
            }
        }
        assert.deepEqual(problems, []);
    });

    it('names every output of main.bicep in UPPER_SNAKE_CASE for azd, and outputs no secure value', () => {
        const outputs = declarations(main).filter((d) => d.kind === 'output');
        assert.ok(outputs.length > 0);
        assert.deepEqual(outputs.filter((o) => !/^[A-Z][A-Z0-9_]*$/.test(o.name)).map((o) => o.name), []);
        const secure = files.flatMap((f) => params(f).filter((p) => p.decorators.includes('@secure()')).map((p) => p.name));
        assert.deepEqual(outputs.filter((o) => secure.some((s) => new RegExp(`\\b${s}\\b`).test(o.rest))).map((o) => o.name), []);
    });

    it('derives every resource name from the resource token unless a name parameter is given', () => {
        const names = declarations(main).find((d) => d.kind === 'var' && d.name === 'names');
        assert.ok(names, 'main.bicep has a names variable');
        const nameParams = params(main).map((p) => p.name);
        const problems: string[] = [];
        for (const e of entries(blockFrom(main.code, names.at).text)) {
            const fromToken = /\$\{resourceToken\}|\$\{environmentName\}/.test(e.value);
            const overridable = /^!empty\((\w+)\) \? \1 : /.exec(e.value);
            if (!fromToken) problems.push(`${e.key} is not derived from the resource token`);
            if (overridable && !nameParams.includes(overridable[1]!)) problems.push(`${e.key}: ${overridable[1]} is not a param`);
            if (!overridable && e.key !== 'deploymentContainer') problems.push(`${e.key} has no name parameter`);
        }
        assert.deepEqual(problems, []);
    });
});
