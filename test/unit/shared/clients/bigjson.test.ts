import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idString, parseJsonLossless } from '../../../../src/shared/clients/bigjson';

describe('parseJsonLossless', () => {
    it('keeps integers of 16+ digits exact as strings and leaves the rest alone', () => {
        const text =
            '{"run_id":9223372036854775807,"ids":[-1234567890123456789, 771234567890123],"n":1.5e3,"x":12345678901234567.5}';
        assert.deepEqual(parseJsonLossless(text), {
            run_id: '9223372036854775807',
            ids: ['-1234567890123456789', 771234567890123],
            n: 1500,
            x: 12345678901234567.5,
        });
    });

    it('does not touch digits inside strings, escaped quotes included', () => {
        const text = '{"msg":"run 12345678901234567890 failed: \\"9999999999999999999\\"","a":{"b":[1,2]}}';
        assert.deepEqual(parseJsonLossless(text), {
            msg: 'run 12345678901234567890 failed: "9999999999999999999"',
            a: { b: [1, 2] },
        });
    });

    it('still rejects invalid JSON', () => {
        assert.throws(() => parseJsonLossless('{"a":'), SyntaxError);
    });

    it('idString accepts safe integers and digit strings only', () => {
        assert.equal(idString(88101), '88101');
        assert.equal(idString('9223372036854775807'), '9223372036854775807');
        assert.equal(idString(1.5), undefined);
        assert.equal(idString('12a'), undefined);
        assert.equal(idString(null), undefined);
    });
});
