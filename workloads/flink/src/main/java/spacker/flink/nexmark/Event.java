package spacker.flink.nexmark;

/**
 * One event of the stream as the source emits it (a Flink POJO): exactly one of `person`, `auction`, `bid`
 * is set. It carries its event number and scheduled emission time, so the latency measured downstream
 * includes any time the source spent behind schedule (no coordinated omission).
 */
public class Event {
    public Person person;
    public Auction auction;
    public Bid bid;
    /** The event number (decides the kind, the ids and the random draws). */
    public long n;
    /** Scheduled emission time, epoch ms (fractional). */
    public double scheduledMs;

    public Event() {}

    /** The event time, ms after the run's start. */
    public long dateTime() {
        return person != null ? person.dateTime : auction != null ? auction.dateTime : bid.dateTime;
    }

    /** The kind's name as the TypeScript model spells it. */
    public String kind() {
        return person != null ? "person" : auction != null ? "auction" : "bid";
    }
}
