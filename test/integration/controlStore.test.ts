import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { TableClient } from '@azure/data-tables';

import { ControlStore } from '../../src/shared/clients/controlStore';
import { type Azurite, startAzurite } from '../support/azurite';

const settings = { failures: 3, windowMinutes: 60, cooldownMinutes: 30 };

describe('control store on Azurite', () => {
    let azurite: Azurite;
    const fresh = () => new ControlStore(TableClient.fromConnectionString(azurite.connectionString, `control${randomBytes(4).toString('hex')}`, { allowInsecureConnection: true }));
    before(async () => {
        azurite = await startAzurite();
    });
    after(async () => {
        await azurite.close();
    });

    it('opens a pipeline breaker after N failed tickets in the window, for the cooldown only', async () => {
        const store = fresh();
        const t0 = new Date('2025-03-14T02:00:00Z');
        const at = (min: number) => new Date(t0.getTime() + min * 60_000);
        await store.recordFailure('pl_x', 'a', at(0), settings);
        await store.recordFailure('pl_x', 'a', at(1), settings);
        await store.recordFailure('pl_x', 'b', at(2), settings);
        assert.equal(await store.breaker('pl_x', at(3), settings), undefined, 'two distinct tickets: still closed');
        await store.recordFailure('PL_X', 'c', at(4), settings);
        assert.deepEqual(await store.breaker('pl_x', at(5), settings), { until: at(34).toISOString(), failures: 3 });
        assert.equal(await store.breaker('pl_y', at(5), settings), undefined, 'per pipeline');
        assert.equal(await store.breaker('pl_x', at(35), settings), undefined, 'closes after the cooldown');
    });

    it('never grants more rerun slots than the budget, even to concurrent callers', async () => {
        const store = fresh();
        const now = new Date('2025-03-14T02:00:00Z');
        const grants = await Promise.all(Array.from({ length: 12 }, (_, i) => store.acquireSlot(`t${i}`, now, 5, 60)));
        assert.equal(grants.filter(Boolean).length, 5);
        assert.equal(await store.slotsInUse(now), 5);
        const holder = grants.findIndex(Boolean);
        assert.equal(await store.acquireSlot(`t${holder}`, now, 5, 60), true, 're-acquiring is idempotent');
        await store.releaseSlot(`t${holder}`);
        assert.equal(await store.acquireSlot('late', now, 5, 60), true);
        assert.equal(await store.acquireSlot('later', new Date(now.getTime() + 61 * 60_000), 5, 60), true, 'expired leases free themselves');
    });
});
