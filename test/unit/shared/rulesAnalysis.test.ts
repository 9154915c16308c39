import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify } from '../../../src/shared/classifier';
import { AnalysisSchema, type FailureDetails } from '../../../src/shared/domain';
import { rulesAnalysis } from '../../../src/shared/rulesAnalysis';
import { adfDetails, databricksDetails } from './classifier/caseDetails';

function analyse(source: 'adf' | 'databricks', details: FailureDetails) {
    return AnalysisSchema.parse(rulesAnalysis(classify(source, details), details));
}

describe('rulesAnalysis', () => {
    it('C14: a transient first guess → no auto-heal on the rules alone, confidence 0.5, root cause from code and message', () => {
        const a = analyse('adf', adfDetails('C14-adf-2108-transient-endpoint', '5e2b7d91-3c4a-4f6e-a8b0-1d2c3e4f5a6b'));
        assert.equal(a.category, 'transient');
        assert.equal(a.auto_heal_possible, false);
        assert.equal(a.confidence, 0.5);
        assert.match(a.root_cause, /^Error 2108 on activity Web_Get_Partner_Token: Error calling the endpoint/);
        assert.ok(a.root_cause.length <= 350);
    });

    it('C15: data rule → no auto-heal, action names the container and path', () => {
        const a = analyse(
            'adf',
            adfDetails('C15-adf-2200-source-blob-missing', '2b4d6f80-1a3c-4e5f-9b7d-0c2e4a6b8d0f'),
        );
        assert.equal(a.category, 'data');
        assert.equal(a.auto_heal_possible, false);
        assert.match(a.recommended_action, /container 'landing'.*path 'landing\/sales\/2025\/03\/14\/'/);
    });

    it('C26: names the package to fix', () => {
        const a = analyse('databricks', databricksDetails('C26-dbx-library-no-matching-distribution'));
        assert.equal(a.category, 'configuration');
        assert.match(a.recommended_action, /orders-utils==2\.7\.1/);
    });

    it('unknown → confidence 0.3 and no auto-heal; first guesses → 0.5', () => {
        const unknown = analyse('adf', {
            found: true,
            errors: [{ scope: 'activity', name: 'A', code: '9876', message: 'odd' }],
        });
        assert.equal(unknown.category, 'unknown');
        assert.equal(unknown.confidence, 0.3);
        assert.equal(unknown.auto_heal_possible, false);
        const guess = analyse('adf', {
            found: true,
            errors: [{ scope: 'activity', name: 'A', code: '9876', failureType: 'SystemError', message: 'odd' }],
        });
        assert.equal(guess.confidence, 0.5);
        assert.equal(guess.auto_heal_possible, false);
    });

    it('still produces a schema-valid analysis when there are no error details', () => {
        const a = analyse('databricks', { found: false, errors: [] });
        assert.ok(a.root_cause.length > 0);
    });
});
