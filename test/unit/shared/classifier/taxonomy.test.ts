import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClassificationSchema, type RunError } from '../../../../src/shared/domain';
import { classify, TAXONOMY } from '../../../../src/shared/classifier';

function errorFrom(example: (typeof TAXONOMY)[number]['example']): RunError {
    return { scope: 'activity', name: 'sample', ...example };
}

describe('TAXONOMY', () => {
    it('has unique row ids', () => {
        assert.equal(new Set(TAXONOMY.map((r) => r.id)).size, TAXONOMY.length);
    });

    for (const row of TAXONOMY) {
        it(`row ${row.id} classifies its example as ${row.errorClass} (retryable ${String(row.retryable)})`, () => {
            const source = row.source === 'any' ? 'adf' : row.source;
            const c = ClassificationSchema.parse(classify(source, { found: true, errors: [errorFrom(row.example)] }));
            assert.equal(c.ruleId, row.id);
            assert.equal(c.errorClass, row.errorClass);
            assert.equal(c.retryable, row.retryable);
            assert.ok(c.reason.includes(`rule ${row.id}`), c.reason);
            assert.ok(c.reason.includes(row.label), c.reason);
        });
    }

    it('rows scoped to one source never fire for the other', () => {
        for (const row of TAXONOMY.filter((r) => r.source !== 'any')) {
            const other = row.source === 'adf' ? 'databricks' : 'adf';
            const c = classify(other, { found: true, errors: [errorFrom(row.example)] });
            assert.notEqual(c.ruleId, row.id, `${row.id} fired for ${other}`);
        }
    });
});
