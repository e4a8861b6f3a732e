package spacker.flink.stock;

/** One trade (order-book.ts, Trade): at the resting order's price; `seq` and `index` name it uniquely. */
public record Trade(String security, double price, double volume, long buyOrderNo, long sellOrderNo,
        String buyAccount, String sellAccount, long seq, int index) {
    /** The columns of a trades file. */
    public static final String HEADER = "seq,index,security,price,volume,buy_order,sell_order,buy_account,sell_account";

    /** The trade as a line of a trades file (numbers as Java prints them; readers parse them). */
    public String line() {
        return seq + "," + index + "," + security + "," + price + "," + volume + "," + buyOrderNo + "," + sellOrderNo
                + "," + buyAccount + "," + sellAccount;
    }
}
