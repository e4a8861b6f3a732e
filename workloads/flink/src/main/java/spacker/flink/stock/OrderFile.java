package spacker.flink.stock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an order file in the Shanghai Stock Exchange format the embedded Stock workload replays
 * (workloads/src/stock/order-record.ts and order-file.ts): `|`-separated fields, a line `end` closing each
 * 50 ms slot, lines with fewer than 12 fields or with code X or an empty code skipped as the reference skips
 * them. The embedded reader skips malformed lines and reports them; this one refuses the file at the first,
 * with an error `path:line: reason: text` (the harness refuses such a file before the job is submitted).
 */
public final class OrderFile {
    static final int ORDER_NO = 0, CODE = 1, DATE = 5, TIME = 6, PRICE = 8, EXECUTED = 9, VOLUME = 10,
            SECURITY = 11, ACCOUNT = 13, DIRECTION = 22;
    static final int MIN_FIELDS = DIRECTION + 1;
    static final int SKIP_BELOW_FIELDS = 12;
    static final String END_OF_SLOT = "end";
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern DATE_RE = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
    private static final Pattern TIME_RE = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})");
    private static final BigInteger MAX_SAFE_INTEGER = BigInteger.valueOf((1L << 53) - 1);

    private OrderFile() {}

    /** A line that does not parse: its reason (the embedded reader's words). */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Reads the first `maxSlots` slots of `path`. @throws IllegalArgumentException naming the file and line */
    public static OrderTape read(Path path, int maxSlots) {
        OrderTape.Builder b = new OrderTape.Builder();
        Map<String, String> strings = new HashMap<>();
        long lineNo = 0;
        if (maxSlots <= 0) return b.build();
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            for (String raw = in.readLine(); raw != null; raw = in.readLine()) {
                lineNo++;
                String text = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
                if (text.isEmpty()) continue;
                if (text.equals(END_OF_SLOT)) {
                    b.endSlot();
                    if (b.slots() >= maxSlots) break;
                    continue;
                }
                try {
                    Order o = parse(text);
                    if (o == null) continue;
                    o.security = strings.computeIfAbsent(o.security, s -> s);
                    o.account = strings.computeIfAbsent(o.account, s -> s);
                    b.add(o);
                } catch (Malformed m) {
                    String shown = text.length() > 120 ? text.substring(0, 117) + "..." : text;
                    throw new IllegalArgumentException(path.toAbsolutePath() + ":" + lineNo + ": " + m.getMessage() + ": " + shown);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the order file " + path.toAbsolutePath() + " (line " + (lineNo + 1) + ")", e);
        }
        return b.build();
    }

    /** One order line; null for a line the reference skips. */
    static Order parse(String line) throws Malformed {
        String[] f = line.split("\\|", -1);
        if (f.length < SKIP_BELOW_FIELDS) return null;
        String code = f[CODE];
        if (code.equals("X") || code.isEmpty()) return null;
        if (f.length < MIN_FIELDS) {
            throw new Malformed(f.length + " fields; a record has at least " + MIN_FIELDS + " (account at " + ACCOUNT + ", direction at " + DIRECTION + ")");
        }
        if (!DIGITS.matcher(f[ORDER_NO]).matches() || new BigInteger(f[ORDER_NO]).compareTo(MAX_SAFE_INTEGER) > 0) {
            throw new Malformed("order number " + quote(f[ORDER_NO]) + " is not a whole number");
        }
        long orderNo = Long.parseLong(f[ORDER_NO]);
        Long timestamp = timestamp(f[DATE], f[TIME]);
        if (timestamp == null) throw new Malformed("date and time " + quote(f[DATE] + " " + f[TIME]) + " are not yyyyMMdd HH:mm:ss");
        double price = decimal(f[PRICE], "price");
        double executed = decimal(f[EXECUTED], "executed volume");
        double volume = decimal(f[VOLUME], "order volume");
        String security = f[SECURITY].trim();
        if (security.isEmpty()) throw new Malformed("empty security code");
        String account = f[ACCOUNT].trim();
        if (account.isEmpty()) throw new Malformed("empty account id");
        String direction = f[DIRECTION].trim();
        if (!direction.equals("B") && !direction.equals("S")) throw new Malformed("direction " + quote(direction) + " is neither B nor S");
        return new Order(orderNo, code, timestamp, price, executed, volume, security, account, direction);
    }

    private static double decimal(String s, String what) throws Malformed {
        String t = s.trim();
        if (!DECIMAL.matcher(t).matches()) throw new Malformed(what + " " + quote(s) + " is not a number >= 0");
        return Double.parseDouble(t);
    }

    private static Long timestamp(String date, String time) {
        Matcher d = DATE_RE.matcher(date.trim());
        Matcher t = TIME_RE.matcher(time.trim());
        if (!d.matches() || !t.matches()) return null;
        try {
            return LocalDateTime.of(Integer.parseInt(d.group(1)), Integer.parseInt(d.group(2)), Integer.parseInt(d.group(3)),
                    Integer.parseInt(t.group(1)), Integer.parseInt(t.group(2)), Integer.parseInt(t.group(3)))
                    .toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeException e) {
            return null; // month 13, 31 February, hour 24, ...
        }
    }

    /** As JSON.stringify quotes a plain string. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
