import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import { loadCorpus, loadPersonas } from '../../eval/data';
import { type EvalReport, MIN_CORPUS, precisionHolds, runEval } from '../../eval/run';

describe('npm run eval: the labelled corpus through the rules and through the whole decision path', () => {
    let report: EvalReport;
    before(async () => {
        report = await runEval();
    });

    it('has at least 100 labelled ADF and Databricks failures, each with a public origin', () => {
        const corpus = loadCorpus();
        assert.ok(corpus.length >= MIN_CORPUS, `${corpus.length} entries`);
        assert.ok(corpus.some((e) => e.source === 'adf') && corpus.some((e) => e.source === 'databricks'));
        assert.ok(corpus.every((e) => e.origin.length > 5));
        assert.ok(corpus.filter((e) => e.label.rerun).length >= 30 && corpus.filter((e) => !e.label.rerun).length >= 30);
    });

    it('keeps auto-heal precision at 1.00 on every path, whatever the recorded model says', () => {
        for (const row of [report.deterministic, ...report.personas]) {
            assert.deepEqual(row.falsePositives, [], `${row.name} reran failures labelled not to rerun`);
            assert.ok(row.precision === 1, `${row.name}: precision ${row.precision}`);
        }
        assert.equal(precisionHolds(report), true);
        assert.equal(precisionHolds({ ...report, personas: [{ ...report.deterministic, fp: 1, precision: 0.98 }] }), false);
    });

    it('plays wrong, hostile and malformed replies through the real SDK, and counts their calls and tokens', () => {
        const names = report.personas.map((p) => p.name);
        for (const persona of Object.keys(loadPersonas())) assert.ok(names.includes(`model: ${persona}`), persona);
        for (const needed of ['wrong', 'hostile', 'malformed']) assert.ok(names.includes(`model: ${needed}`));
        const by = (name: string) => report.personas.find((p) => p.name === `model: ${name}`)!;
        assert.equal(by('hostile').calls, report.corpus, 'one call per failure');
        assert.equal(by('malformed').calls, 2 * report.corpus, 'one corrective retry or larger budget, then no analysis');
        assert.ok((by('honest').tokens ?? 0) > 0);
        assert.ok((by('honest').recall ?? 0) > (report.deterministic.recall ?? 1), 'honest advice confirms reruns the rules leave open');
    });

    it('prints both tables and exits 0', () => {
        const root = join(__dirname, '..', '..');
        const out = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'eval', 'run.ts')], { cwd: root, encoding: 'utf8' });
        assert.equal(out.status, 0, out.stderr);
        assert.match(out.stdout, /Table 1\. Deterministic path[\s\S]*precision[\s\S]*Table 2\. Whole decision path[\s\S]*model: hostile/);
    });
});
