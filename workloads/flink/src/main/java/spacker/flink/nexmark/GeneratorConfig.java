package spacker.flink.nexmark;

import java.io.Serializable;

/**
 * Parameters of the Nexmark generator (workloads/src/nexmark/generator-config.ts): the total event rate, the
 * seed, the event mix and the hot/active ratios, the average sizes. {@link #check} refuses what the
 * TypeScript check refuses, naming the harness key.
 */
public final class GeneratorConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The harness key of each count, in the order of the fields below, with Beam's defaults. */
    public static final String[][] KEYS = {
        {"spacker.nexmark.person_proportion", "1"},
        {"spacker.nexmark.auction_proportion", "3"},
        {"spacker.nexmark.bid_proportion", "46"},
        {"spacker.nexmark.active_people", "1000"},
        {"spacker.nexmark.in_flight_auctions", "100"},
        {"spacker.nexmark.hot_auction_ratio", "2"},
        {"spacker.nexmark.hot_bidder_ratio", "4"},
        {"spacker.nexmark.hot_seller_ratio", "4"},
        {"spacker.nexmark.avg_person_size", "200"},
        {"spacker.nexmark.avg_auction_size", "500"},
        {"spacker.nexmark.avg_bid_size", "100"},
    };
    /** Smallest value of each count (people and auctions must exist: bids refer to them). */
    private static final int[] MINIMUM = {1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0};
    /** Upper bound of every count: keeps the id arithmetic within 32-bit random draws. */
    private static final int MAXIMUM = 1_000_000;

    /** Events per second of the whole stream (all source subtasks); sets the time scale of auction lengths. */
    public final double ratePerSec;
    public final long seed;
    public final int personProportion;
    public final int auctionProportion;
    public final int bidProportion;
    public final int activePeople;
    public final int inFlightAuctions;
    public final int hotAuctionRatio;
    public final int hotBidderRatio;
    public final int hotSellerRatio;
    public final int avgPersonSize;
    public final int avgAuctionSize;
    public final int avgBidSize;

    /** `counts` in the order of {@link #KEYS}. */
    public GeneratorConfig(double ratePerSec, long seed, int[] counts) {
        if (counts.length != KEYS.length) throw new IllegalArgumentException("expected " + KEYS.length + " counts, got " + counts.length);
        this.ratePerSec = ratePerSec;
        this.seed = seed;
        personProportion = counts[0];
        auctionProportion = counts[1];
        bidProportion = counts[2];
        activePeople = counts[3];
        inFlightAuctions = counts[4];
        hotAuctionRatio = counts[5];
        hotBidderRatio = counts[6];
        hotSellerRatio = counts[7];
        avgPersonSize = counts[8];
        avgAuctionSize = counts[9];
        avgBidSize = counts[10];
        check(counts);
    }

    /** Beam's defaults at `ratePerSec` and `seed`. */
    public static GeneratorConfig defaults(double ratePerSec, long seed) {
        int[] counts = new int[KEYS.length];
        for (int i = 0; i < KEYS.length; i++) counts[i] = Integer.parseInt(KEYS[i][1]);
        return new GeneratorConfig(ratePerSec, seed, counts);
    }

    private void check(int[] counts) {
        if (!(ratePerSec > 0) || Double.isInfinite(ratePerSec)) throw new IllegalArgumentException("--spacker.rate.per_task: the event rate must be a number > 0, got " + ratePerSec);
        if (Math.abs(seed) > (1L << 53) - 1) throw new IllegalArgumentException("--spacker.seed " + seed + ": must be a safe integer (|seed| < 2^53)");
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < MINIMUM[i] || counts[i] > MAXIMUM) {
                throw new IllegalArgumentException("--" + KEYS[i][0] + " " + counts[i] + ": must be an integer from " + MINIMUM[i] + " to " + MAXIMUM);
            }
        }
    }
}
