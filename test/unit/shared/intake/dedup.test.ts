import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
    dedupKeyForAdf,
    dedupKeyForAlertWindow,
    dedupKeyForDatabricks,
    ticketIdFor,
} from '../../../../src/shared/intake';

const FACTORY = '/subscriptions/S/resourceGroups/RG/providers/Microsoft.DataFactory/factories/ADF';

describe('dedup keys', () => {
    it('ADF: factory and run id compare case-insensitively, the pipeline name by NFC form only', () => {
        const key = dedupKeyForAdf(FACTORY, 'Pl_Caf\u00e9', 'ABC-1');
        assert.equal(key, `adf|${FACTORY.toLowerCase()}|Pl_Caf\u00e9|abc-1`);
        assert.equal(dedupKeyForAdf(FACTORY.toLowerCase(), 'Pl_Cafe\u0301', 'abc-1'), key);
        assert.notEqual(dedupKeyForAdf(FACTORY, 'pl_caf\u00e9', 'abc-1'), key, 'pipeline names are case-sensitive');
    });

    it('Databricks: workspace id and parent run id', () => {
        assert.equal(
            dedupKeyForDatabricks('5550001112223334', '771234567890123'),
            'dbx|5550001112223334|771234567890123',
        );
    });

    it('alert window key for runs not known yet', () => {
        assert.equal(dedupKeyForAlertWindow('/X/Alerts/A', 's', 'e'), 'adf-alert|/x/alerts/a|s|e');
    });

    it('ticket ids are prefixed sha256 prefixes, valid as Durable instance ids', () => {
        const key = dedupKeyForAdf(FACTORY, 'p/q?#\\', 'r');
        const id = ticketIdFor(key);
        assert.equal(id, `adf-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`);
        assert.doesNotMatch(id, /[/\\?#]/);
        assert.match(ticketIdFor(dedupKeyForDatabricks('1', '2')), /^dbx-[0-9a-f]{32}$/);
        assert.notEqual(ticketIdFor(dedupKeyForDatabricks('1', '2')), ticketIdFor(dedupKeyForDatabricks('1', '3')));
    });
});
