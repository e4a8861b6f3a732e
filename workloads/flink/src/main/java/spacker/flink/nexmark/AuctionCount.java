package spacker.flink.nexmark;

/** Q5: a window's bid count for one auction, the window being [windowEnd - size, windowEnd); a Flink POJO. */
public class AuctionCount {
    public long auction;
    public long count;
    public long windowEnd;

    public AuctionCount() {}

    public AuctionCount(long auction, long count, long windowEnd) {
        this.auction = auction;
        this.count = count;
        this.windowEnd = windowEnd;
    }

    /** `auction,count,window_end`: a line of the results file (as the harness's check reads it). */
    public String csv() {
        return auction + "," + count + "," + windowEnd;
    }
}
