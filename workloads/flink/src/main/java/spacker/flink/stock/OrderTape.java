package spacker.flink.stock;

import java.util.ArrayList;
import java.util.List;

/**
 * Orders held for replay, slot by slot (workloads/src/stock/order-tape.ts): every order of slot k is due
 * k x 50 ms after the start, as the reference's source emits a slot at once and sleeps to its end.
 */
public final class OrderTape {
    /** Length of a slot, ms. */
    public static final double SLOT_MS = 50;

    public final List<Order> records;
    /** `slotStarts[k]` = index of the first order of slot k; one more entry than slots, the last = order count. */
    public final int[] slotStarts;

    private OrderTape(List<Order> records, int[] slotStarts) {
        this.records = records;
        this.slotStarts = slotStarts;
    }

    /** Slots on the tape. */
    public int slots() {
        return slotStarts.length - 1;
    }

    /** Scheduled time of order `g`, ms after the start: its slot x 50 ms. */
    public double offsetMs(long g) {
        return slotOf(g) * SLOT_MS;
    }

    /** The slot of order `g`: the last k with `slotStarts[k] <= g` (empty slots are passed over). */
    public int slotOf(long g) {
        int lo = 0;
        int hi = slotStarts.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (slotStarts[mid] <= g) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Collects orders slot by slot (TapeBuilder). */
    public static final class Builder {
        private final List<Order> records = new ArrayList<>();
        private final List<Integer> starts = new ArrayList<>(List.of(0));

        public int slots() {
            return starts.size() - 1;
        }

        public void add(Order o) {
            records.add(o);
        }

        public void endSlot() {
            starts.add(records.size());
        }

        /** The tape; orders after the last `end` form a last slot. */
        public OrderTape build() {
            List<Integer> s = new ArrayList<>(starts);
            if (s.get(s.size() - 1) != records.size()) s.add(records.size());
            return new OrderTape(records, s.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
