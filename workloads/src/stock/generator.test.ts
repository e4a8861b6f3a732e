// The order generator: deterministic for a seed, and structured like an exchange feed (many securities and
// accounts with skewed activity, a rate that follows the trading day, bursts, cancels of earlier orders,
// prices in ticks); parameters out of range are errors naming the parameter and its range.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidConfigError } from '../../../engine/src/index.ts';
import { GENERATOR_DEFAULTS, SESSION_S, StockGenerator, baseRate, checkGeneratorParams, generateTape, sessionTimeMs, type GeneratorParams } from './generator.ts';
import type { OrderRecord } from './order-record.ts';

const P: GeneratorParams = { ...GENERATOR_DEFAULTS, durationS: 30, rate: 1000 };

function all(p: GeneratorParams): OrderRecord[][] {
  const g = new StockGenerator(p);
  const slots: OrderRecord[][] = [];
  while (g.hasNext) slots.push(g.nextSlot());
  return slots;
}

describe('stock > generator', () => {
  it('is deterministic: the same seed gives the same records, another seed others', () => {
    assert.deepEqual(all(P), all(P));
    const other = all({ ...P, seed: P.seed + 1 }).flat();
    const same = all(P).flat();
    assert.notDeepEqual(other.slice(0, 50), same.slice(0, 50));
  });

  it('many securities and accounts, with skewed activity', () => {
    const records = generateTape(P).records;
    const perSecurity = counts(records.map((r) => r.security));
    const perAccount = counts(records.map((r) => r.account));
    assert.ok(perSecurity.size > 1000, `${perSecurity.size} securities active`);
    assert.ok(perAccount.size > 10_000, `${perAccount.size} accounts active`);
    const top = [...perSecurity.values()].sort((a, b) => b - a);
    assert.ok(top[0] > 50 * top[Math.floor(top.length / 2)], `the hottest security (${top[0]}) is far above the median (${top[Math.floor(top.length / 2)]})`);
    const topAccounts = [...perAccount.values()].sort((a, b) => b - a);
    assert.ok(topAccounts[0] > 20 * topAccounts[Math.floor(topAccounts.length / 2)], 'account activity is skewed');
  });

  it('the rate follows the trading day: busy at the open, calm at midday, rising to the close; its mean is the rate', () => {
    let mean = 0;
    for (let t = 0; t < SESSION_S; t++) mean += baseRate(1000, t + 0.5);
    assert.ok(Math.abs(mean / SESSION_S - 1000) < 1, `mean ${mean / SESSION_S}`);
    assert.ok(baseRate(1000, 0) > 2 * baseRate(1000, 5400), 'open vs midday');
    assert.ok(baseRate(1000, SESSION_S - 1) > 1.5 * baseRate(1000, 5400), 'close vs midday');
    assert.equal(sessionTimeMs(0), Date.UTC(2024, 0, 2, 9, 30, 0));
    assert.equal(sessionTimeMs(SESSION_S / 2), Date.UTC(2024, 0, 2, 13, 0, 0), 'the lunch break is skipped');
    // Generated counts follow it: the first five minutes hold more than five minutes at midday.
    const tape = generateTape({ ...P, rate: 20, durationS: 5700 });
    const first = tape.slotStarts[(300 * 1000) / 50];
    const midday = tape.slotStarts[tape.slotStarts.length - 1] - tape.slotStarts[(5400 * 1000) / 50];
    assert.ok(first > 1.8 * midday, `first five minutes ${first}, five minutes at midday ${midday}`);
  });

  it('has bursts: some seconds run well above their neighbours', () => {
    const tape = generateTape({ ...P, durationS: 120 });
    const perSecond = Array.from({ length: 120 }, (_, s) => tape.slotStarts[(s + 1) * 20] - tape.slotStarts[s * 20]);
    const median = [...perSecond].sort((a, b) => a - b)[60];
    assert.ok(perSecond.some((n) => n > 1.4 * median), `max ${Math.max(...perSecond)} vs median ${median}`);
  });

  it('orders are plausible: prices in ticks, lots of 100, both directions, cancels of earlier orders, increasing numbers', () => {
    const records = generateTape(P).records;
    const added = new Map<number, OrderRecord>();
    let cancels = 0;
    for (const r of records) {
      assert.ok(r.price > 0 && Math.abs(r.price * 100 - Math.round(r.price * 100)) < 1e-6, `price ${r.price}`);
      assert.ok(r.volume >= 100 && r.volume % 100 === 0, `volume ${r.volume}`);
      assert.match(r.security, /^6\d{5}$/);
      if (r.code === 'A') {
        assert.ok(!added.has(r.orderNo), 'order numbers are unique');
        added.set(r.orderNo, r);
      } else {
        assert.equal(r.code, 'D');
        cancels++;
        const o = added.get(r.orderNo);
        assert.ok(o !== undefined, `cancel of order ${r.orderNo}, added before`);
        assert.deepEqual([o.security, o.account, o.direction, o.price], [r.security, r.account, r.direction, r.price]);
      }
    }
    const share = cancels / records.length;
    assert.ok(Math.abs(share - P.cancelRatio) < 0.03, `cancel share ${share}`);
    const buys = records.filter((r) => r.direction === 'B').length / records.length;
    assert.ok(buys > 0.4 && buys < 0.6, `buy share ${buys}`);
  });

  it('parameters out of range are errors naming the parameter (as the caller spells it) and the range', () => {
    const bad: [Partial<GeneratorParams>, RegExp][] = [
      [{ rate: 0 }, /'rate': 0; allowed: a number from 0\.001 to 100000/],
      [{ durationS: SESSION_S + 1 }, /'durationS': 14401; allowed: an integer from 1 to 14400/],
      [{ durationS: 1.5 }, /'durationS'/],
      [{ securities: 0 }, /'securities'/],
      [{ accounts: 2_000_000 }, /'accounts'/],
      [{ securitySkew: -1 }, /'securitySkew'/],
      [{ accountSkew: Number.NaN }, /'accountSkew'/],
      [{ cancelRatio: 0.95 }, /'cancelRatio': 0\.95; allowed: a number from 0 to 0\.9/],
      [{ seed: 0.5 }, /'seed'/],
    ];
    for (const [change, message] of bad) {
      assert.throws(() => checkGeneratorParams({ ...P, ...change }), (e: unknown) => e instanceof InvalidConfigError && message.test(e.message), JSON.stringify(change));
      assert.throws(() => new StockGenerator({ ...P, ...change }), InvalidConfigError);
    }
    assert.throws(() => checkGeneratorParams({ ...P, rate: -3 }, { rate: '--rate' }), /'--rate': -3/);
  });
});

function counts(xs: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}
