/**
 * Order (prioritization) functions, reference 1.3: the order in which one source subtask hands over its
 * migrating key groups. Registered by name with one signature; pure. Imports only core/, control/ and errors.
 */
import { JavaRandom } from '../core/java-random.ts';
import type { KeyGroupId } from '../core/key-group.ts';
import { ORDER_FUNCTIONS, type KeyGroupStats, type OrderFunction } from '../control/plan.ts';
import { InvalidParameterError, InvalidPlanError } from '../errors.ts';

/** What an order function may look at besides the key groups themselves. */
export interface OrderContext {
  /** The source subtask whose key groups are being ordered. */
  readonly sourceSubtask: number;
  /** Measured per-key-group statistics; required by `hot-first` and `cold-first`. */
  readonly stats?: KeyGroupStats;
  /** Seed of the `random` order; a fresh generator is seeded with it for every source subtask. */
  readonly seed: number;
}

/**
 * Orders one source subtask's migrating key groups (given in any order, no duplicates) and returns a new
 * array holding exactly the same key groups, first to migrate first.
 */
export type OrderFn = (keyGroups: readonly KeyGroupId[], ctx: OrderContext) => KeyGroupId[];

/**
 * `java.util.Collections.shuffle(list, new Random(seed))` for a random-access list, bit for bit:
 * for i from size-1 down to 1, swap(i, nextInt(i + 1)). Returns a new array.
 */
export function javaShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const rnd = new JavaRandom(seed);
  for (let i = out.length - 1; i >= 1; i--) {
    const j = rnd.nextInt(i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

function ascending(keyGroups: readonly KeyGroupId[]): KeyGroupId[] {
  return keyGroups.slice().sort((a, b) => a - b);
}

/** The measured rate of every key group, or InvalidPlanError naming the order that needed it. */
function rateOf(order: OrderFunction, keyGroups: readonly KeyGroupId[], stats: KeyGroupStats | undefined): (kg: KeyGroupId) => number {
  if (!stats) throw new InvalidPlanError(`order function '${order}' needs measured key-group statistics (stats.rate), but none were given`);
  const rate = stats.rate;
  for (const kg of keyGroups) {
    if (kg >= rate.length) throw new InvalidPlanError(`order function '${order}': no measured rate for key group ${kg} (stats cover 0..${rate.length - 1})`);
  }
  return (kg) => rate[kg];
}

/** Sorts by rate (descending if `hotFirst`), ties by ascending id. */
function byRate(order: OrderFunction, hotFirst: boolean): OrderFn {
  return (keyGroups, ctx) => {
    const rate = rateOf(order, keyGroups, ctx.stats);
    const sign = hotFirst ? -1 : 1;
    return keyGroups.slice().sort((a, b) => sign * (rate(a) - rate(b)) || a - b);
  };
}

/**
 * The order functions by name:
 * - `default`: ascending id (hottest first in the zipf workloads, where rank 1 is key group 0);
 * - `reverse`: descending id;
 * - `random`: ascending ids shuffled as Java's `Collections.shuffle(list, new Random(seed))`, with a fresh
 *   generator per source subtask (the reference: one `Random(12345678)` per task);
 * - `hot-first` / `cold-first`: descending / ascending measured rate, ties by ascending id (need `stats`).
 */
export const ORDERS: Readonly<Record<OrderFunction, OrderFn>> = Object.freeze({
  default: (keyGroups: readonly KeyGroupId[]) => ascending(keyGroups),
  reverse: (keyGroups: readonly KeyGroupId[]) => ascending(keyGroups).reverse(),
  random: (keyGroups: readonly KeyGroupId[], ctx: OrderContext) => javaShuffle(ascending(keyGroups), ctx.seed),
  'hot-first': byRate('hot-first', true),
  'cold-first': byRate('cold-first', false),
});

/** True if `name` is one of {@link ORDER_FUNCTIONS}. */
export function isOrderFunction(name: string): name is OrderFunction {
  return (ORDER_FUNCTIONS as readonly string[]).includes(name);
}

/** The order function called `name`; InvalidParameterError (field `order`) listing the allowed names if there is none. */
export function orderFunctionNamed(name: string): OrderFn {
  if (!isOrderFunction(name)) throw new InvalidParameterError('order', name, ORDER_FUNCTIONS.join(', '));
  return ORDERS[name];
}
