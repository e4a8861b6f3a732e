package spacker.flink.nexmark;

/** A bid (workloads/src/nexmark/model.ts); a Flink POJO. `dateTime` is event-time ms after the run's start. */
public class Bid {
    public long auction;
    public long bidder;
    public long price;
    public long dateTime;
    public String extra;

    public Bid() {}
}
