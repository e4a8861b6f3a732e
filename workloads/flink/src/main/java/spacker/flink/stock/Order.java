package spacker.flink.stock;

/**
 * One order record as the embedded Stock workload's operators see it (workloads/src/stock/order-record.ts,
 * OrderRecord), plus what the Flink source adds: its scheduled emission time and its sequence number on the
 * tape. A Flink POJO (public fields, no-argument constructor).
 */
public class Order {
    public long orderNo;
    /** Transaction maintenance code: `A` adds, `D` deletes a resting order; other codes add. */
    public String code;
    /** Last-update date and time, ms since the epoch (UTC). */
    public long timestamp;
    public double price;
    public double executedVolume;
    public double volume;
    /** Security code, e.g. `600123`: the stream is keyed by it (a String, as in the embedded job). */
    public String security;
    public String account;
    /** `B` or `S`. */
    public String direction;
    /** Scheduled emission time, epoch ms (fractional); 0 until the source emits the order. */
    public double scheduledMs;
    /** Index on the tape (the embedded engine's source sequence number): the order's arrival sequence. */
    public long seq;

    public Order() {}

    public Order(long orderNo, String code, long timestamp, double price, double executedVolume, double volume,
            String security, String account, String direction) {
        this.orderNo = orderNo;
        this.code = code;
        this.timestamp = timestamp;
        this.price = price;
        this.executedVolume = executedVolume;
        this.volume = volume;
        this.security = security;
        this.account = account;
        this.direction = direction;
    }

    /** A copy with another code (the generator's code X lines). */
    Order withCode(String c) {
        return new Order(orderNo, c, timestamp, price, executedVolume, volume, security, account, direction);
    }

    /** A copy carrying its emission time and tape index. */
    Order scheduled(double atMs, long index) {
        Order o = withCode(code);
        o.scheduledMs = atMs;
        o.seq = index;
        return o;
    }
}
