/**
 * @module test/gateway/usage-plans/usage-ledger.test — usage counts in the record store: written by `flush` (which
 * the timer calls every few seconds) and by `stop`; what a crash loses is what was counted since the last flush;
 * days past retention are not kept.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Clock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { parseDay, DAY_MS } from '../../../src/gateway/usage-plans/quota.js';
import { USAGE_RETENTION_DAYS, UsageLedger } from '../../../src/gateway/usage-plans/usage-ledger.js';
import { MemoryRecordStore } from '../../../src/store/records.js';

const TODAY = parseDay('2024-03-10') ?? assert.fail();
const clock: Clock = { now: () => TODAY * DAY_MS + 3_600_000, monotonic: () => 0 };
/** No timer flush during a test: the test calls flush itself. */
const open = (records: MemoryRecordStore): Promise<UsageLedger> => UsageLedger.open({ records, clock, logger: silentLogger(), flushIntervalMs: 3_600_000 });

test('UsageLedger: counts flushed are read back; counts after the last flush are what a crash loses; stop writes them', async () => {
  const records = new MemoryRecordStore();
  const ledger = await open(records);
  ledger.counts.add('p1', 'k1', TODAY);
  ledger.counts.add('p1', 'k1', TODAY);
  await ledger.flush();
  ledger.counts.add('p1', 'k1', TODAY); // counted, not yet flushed
  const afterCrash = await open(records);
  assert.equal(afterCrash.counts.on('p1', 'k1', TODAY), 2, 'a crash now loses the unflushed request');
  await ledger.stop();
  const afterStop = await open(records);
  assert.equal(afterStop.counts.on('p1', 'k1', TODAY), 3, 'a clean stop loses nothing');
  for (const opened of [afterCrash, afterStop]) await opened.stop();
});

test('UsageLedger: a forgotten pair\'s record is deleted; days older than the retention are dropped at flush', async () => {
  const records = new MemoryRecordStore();
  const ledger = await open(records);
  ledger.counts.add('p1', 'k1', TODAY - USAGE_RETENTION_DAYS - 1);
  ledger.counts.add('p1', 'k1', TODAY - USAGE_RETENTION_DAYS);
  ledger.counts.add('p2', 'k2', TODAY);
  await ledger.flush();
  ledger.counts.forget((planId) => planId === 'p2');
  await ledger.stop();
  const stored = await records.collection<{ days: Record<string, number> }>('gateway.usage-plans.usage').loadAll();
  assert.deepEqual([...stored.keys()], ['p1/k1']);
  assert.deepEqual(stored.get('p1/k1')?.days, { '2023-12-11': 1 }, `the oldest kept day is ${USAGE_RETENTION_DAYS} days back`);
});
