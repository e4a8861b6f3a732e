package spacker.flink.nexmark;

/** A new auction (workloads/src/nexmark/model.ts); a Flink POJO. Times are event-time ms after the run's start. */
public class Auction {
    public long id;
    public String itemName;
    public String description;
    public long initialBid;
    public long reserve;
    public long dateTime;
    public long expires;
    public long seller;
    public long category;
    public String extra;

    public Auction() {}
}
