package spacker.flink.stock;

/** An order resting in a book (order-book.ts, RestingOrder); a Flink POJO. */
public class Resting {
    public long orderNo;
    public String account;
    public double price;
    public double remaining;
    /** Arrival sequence (time priority). */
    public long seq;

    public Resting() {}

    Resting(long orderNo, String account, double price, double remaining, long seq) {
        this.orderNo = orderNo;
        this.account = account;
        this.price = price;
        this.remaining = remaining;
        this.seq = seq;
    }
}
