package spacker.flink.stock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One security's order book and its continuous matching with price-time priority, as the embedded
 * MatchMaker (workloads/src/stock/order-book.ts, applyOrder): an incoming order trades against the best
 * opposite price first, among equal prices the earliest; each trade is at the resting order's price; the
 * remainder rests (partial fills); code D deletes a resting order by number on its side. The book is a Flink
 * POJO (arrays of POJOs), the value state `order-book` of its security.
 */
public class OrderBook {
    /** Best (highest) price first; equal prices by arrival. */
    public Resting[] bids = new Resting[0];
    /** Best (lowest) price first; equal prices by arrival. */
    public Resting[] asks = new Resting[0];
    /** Orders applied (deletes included): each order exactly once, whatever restarts happened. */
    public long orders;
    public long trades;
    public double tradedVolume;
    /** Price of the last trade, 0 before any. */
    public double lastPrice;

    public OrderBook() {}

    /** Applies `o` (arrival sequence `seq`) and returns its trades, in order. */
    public List<Trade> apply(Order o, long seq) {
        orders++;
        List<Trade> out = new ArrayList<>();
        boolean buy = o.direction.equals("B");
        if (o.code.equals("D")) {
            if (buy) bids = cancel(bids, o.orderNo);
            else asks = cancel(asks, o.orderNo);
            return out;
        }
        List<Resting> opposite = new ArrayList<>(Arrays.asList(buy ? asks : bids));
        double remaining = Math.max(0, o.volume - o.executedVolume);
        int taken = 0;
        while (remaining > 0 && taken < opposite.size()) {
            Resting best = opposite.get(taken);
            if (buy ? best.price > o.price : best.price < o.price) break;
            double volume = Math.min(remaining, best.remaining);
            out.add(new Trade(o.security, best.price, volume, buy ? o.orderNo : best.orderNo, buy ? best.orderNo : o.orderNo,
                    buy ? o.account : best.account, buy ? best.account : o.account, seq, out.size()));
            remaining -= volume;
            best.remaining -= volume;
            if (best.remaining == 0) taken++;
            trades++;
            tradedVolume += volume;
            lastPrice = best.price;
        }
        Resting[] rest = opposite.subList(taken, opposite.size()).toArray(new Resting[0]);
        if (buy) asks = rest;
        else bids = rest;
        if (remaining > 0) {
            Resting r = new Resting(o.orderNo, o.account, o.price, remaining, seq);
            if (buy) bids = insert(bids, r, true);
            else asks = insert(asks, r, false);
        }
        return out;
    }

    /** Inserts after every order of a better or equal price (time priority among equals). */
    private static Resting[] insert(Resting[] side, Resting r, boolean buy) {
        int lo = 0;
        int hi = side.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            boolean ahead = buy ? side[mid].price >= r.price : side[mid].price <= r.price;
            if (ahead) lo = mid + 1;
            else hi = mid;
        }
        Resting[] out = new Resting[side.length + 1];
        System.arraycopy(side, 0, out, 0, lo);
        out[lo] = r;
        System.arraycopy(side, lo, out, lo + 1, side.length - lo);
        return out;
    }

    private static Resting[] cancel(Resting[] side, long orderNo) {
        for (int i = 0; i < side.length; i++) {
            if (side[i].orderNo != orderNo) continue;
            Resting[] out = new Resting[side.length - 1];
            System.arraycopy(side, 0, out, 0, i);
            System.arraycopy(side, i + 1, out, i, side.length - i - 1);
            return out;
        }
        return side;
    }

    /** The columns of a books dump. */
    public static final String HEADER = "security,key_group,orders,trades,traded_volume,last_price,bids,asks";

    /** The book as a line of a books dump: each side `orderNo:price:remaining:seq` best first, space-separated. */
    public String line(String security, int keyGroup) {
        return security + "," + keyGroup + "," + orders + "," + trades + "," + tradedVolume + "," + lastPrice + ","
                + side(bids) + "," + side(asks);
    }

    private static String side(Resting[] s) {
        StringBuilder b = new StringBuilder();
        for (Resting r : s) {
            if (b.length() > 0) b.append(' ');
            b.append(r.orderNo).append(':').append(r.price).append(':').append(r.remaining).append(':').append(r.seq);
        }
        return b.toString();
    }
}
