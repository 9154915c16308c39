import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
    analysisJsonSchema,
    buildPrompt,
    MESSAGE_BUDGET,
    truncateMiddle,
} from '../../../../src/shared/clients/geminiPrompt';
import { parseAnalysis, parseDuration, stripFence } from '../../../../src/shared/clients/geminiReply';
import type { FailureDetails } from '../../../../src/shared/domain';
import { classification, details, good, signal } from './geminiFixtures';

describe('Gemini prompt and reply helpers', () => {
    it('truncateMiddle keeps head and tail within the limit', () => {
        const text = `HEAD-${'m'.repeat(10_000)}-TAIL`;
        const cut = truncateMiddle(text, 1000);
        assert.ok(cut.length <= 1000);
        assert.ok(cut.startsWith('HEAD-') && cut.endsWith('-TAIL'));
        assert.match(cut, /chars cut/);
        assert.equal(truncateMiddle('short', 1000), 'short');
    });

    it('keeps all error text within the budget, however many errors there are', () => {
        const many: FailureDetails = {
            found: true,
            errors: Array.from({ length: 25 }, (_, i) => ({
                scope: 'task' as const,
                name: `t${i}`,
                message: `S${i}-${'z'.repeat(5000)}-E${i}`,
            })),
        };
        const prompt = buildPrompt(signal, many, classification);
        const zs = (prompt.match(/z/g) ?? []).length;
        assert.ok(zs <= MESSAGE_BUDGET, `${zs} characters of error text`);
        assert.match(prompt, /S0-z+ …\[\d+ chars cut\]… z+-E0/);
        assert.match(prompt, /15 more errors left out/);
    });

    it('the minimal prompt has codes and names but no message text', () => {
        const prompt = buildPrompt(signal, details('row data: alice@example.org said something'), classification, {
            minimal: true,
        });
        assert.match(prompt, /Web_Get_Partner_Token \(type=WebActivity, code=2108, failureType=UserError\)/);
        assert.doesNotMatch(prompt, /row data|alice|Operation on target|endpoint call failed/);
    });

    it('the response schema has no $schema or additionalProperties but keeps the enum', () => {
        const schema = analysisJsonSchema();
        assert.equal(schema.type, 'object');
        assert.equal('$schema' in schema, false);
        assert.equal('additionalProperties' in schema, false);
        const props = schema.properties as Record<string, { enum?: string[] }>;
        assert.ok(props.category?.enum?.includes('permission'));
    });

    it('stripFence removes one whole-reply fence only', () => {
        assert.equal(stripFence('```json\n{"a":1}\n```\n'), '{"a":1}');
        assert.equal(stripFence('```\n{"a":1}\n```'), '{"a":1}');
        assert.equal(stripFence('x ```json\n{}\n```'), 'x ```json\n{}\n```');
        assert.equal(parseAnalysis('```json\n{}\n```\n```json\n{}\n```').kind, 'invalid');
        assert.equal(parseAnalysis(JSON.stringify(good)).kind, 'ok');
    });

    it('parseDuration reads fractional protobuf durations', () => {
        assert.equal(parseDuration('26.418374012s'), 26419);
        assert.equal(parseDuration('41s'), 41000);
        assert.equal(parseDuration('soon'), undefined);
    });
});
