package spacker.flink.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import spacker.flink.FastZipf;

/**
 * The embedded Stock workload's seeded order generator (workloads/src/stock/generator.ts), draw for draw:
 * the same java.util.Random streams and the same double arithmetic (StrictMath, i.e. fdlibm, for exp, log,
 * pow and cos, as V8's Math), so the same parameters and seed give the same orders. See the TypeScript file
 * for what the generated day looks like; this port only keeps the order of the draws.
 */
public final class StockGenerator {
    /** Seconds in a trading session (09:30-11:30 and 13:00-15:00). */
    public static final int SESSION_S = 4 * 3600;
    private static final long SESSION_DATE_MS = 1704153600000L; // 2024-01-02T00:00:00Z
    private static final double MORNING_OPEN_S = 9.5 * 3600;
    private static final double AFTERNOON_OPEN_S = 13 * 3600;
    private static final double TICK = 0.01;
    private static final double MARKETABLE = 0.35;
    private static final double X_LINES = 0.005;
    private static final int RECENT = 4096;
    private static final double MEAN_INTENSITY = meanIntensity();

    /** The generator's parameters (GeneratorParams). */
    public record Config(long seed, int durationS, double rate, int securities, int accounts, double securitySkew,
            double accountSkew, double cancelRatio) implements java.io.Serializable {}

    private final Config p;
    private final int slots;
    private int slot;
    private final Random random;
    private final FastZipf securityZipf;
    private final FastZipf accountZipf;
    private final double[] mid;
    private long nextOrderNo = 1_000_000;
    private final List<Order> recent = new ArrayList<>();
    private double burstUntilS = -1;
    private double burstFactor = 1;
    private int burstSecurity;
    private double nextBurstS;

    public StockGenerator(Config p) {
        this.p = p;
        slots = (int) Math.ceil(p.durationS() * 1000.0 / OrderTape.SLOT_MS);
        random = new Random(p.seed());
        securityZipf = new FastZipf(p.securities(), p.securitySkew(), p.seed() + 1);
        accountZipf = new FastZipf(p.accounts(), p.accountSkew(), p.seed() + 2);
        mid = new double[p.securities()];
        for (int i = 0; i < mid.length; i++) mid[i] = Math.round(3 * StrictMath.pow(80.0 / 3, random.nextDouble()) * 100) / 100.0;
        nextBurstS = exponential(15);
    }

    /** The generated orders of the first `maxSlots` slots, without the code X lines (as the reader leaves them). */
    public static OrderTape tape(Config p, int maxSlots) {
        StockGenerator g = new StockGenerator(p);
        OrderTape.Builder b = new OrderTape.Builder();
        while (g.hasNext() && b.slots() < maxSlots) {
            for (Order o : g.nextSlot()) if (!o.code.equals("X")) b.add(o);
            b.endSlot();
        }
        return b.build();
    }

    public boolean hasNext() {
        return slot < slots;
    }

    /** The orders of the next 50 ms slot, code X lines included. */
    public List<Order> nextSlot() {
        double tau = (slot * OrderTape.SLOT_MS) / 1000;
        slot++;
        if (tau >= nextBurstS) {
            burstUntilS = tau + Math.min(5, Math.max(0.2, exponential(1)));
            burstFactor = 1.5 + 1.5 * random.nextDouble();
            burstSecurity = securityZipf.next();
            nextBurstS = burstUntilS + exponential(15);
        }
        boolean inBurst = tau < burstUntilS;
        double factor = inBurst ? burstFactor : 1;
        long n = poisson((baseRate(p.rate(), tau) * factor * OrderTape.SLOT_MS) / 1000);
        long timestamp = sessionTimeMs(tau);
        List<Order> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            boolean focus = inBurst && random.nextDouble() < (0.5 * (factor - 1)) / factor;
            out.add(order(focus ? burstSecurity : securityZipf.next(), timestamp));
        }
        return out;
    }

    private Order order(int sec, long timestamp) {
        double u = random.nextDouble();
        if (u < X_LINES) return add(sec, timestamp).withCode("X");
        if (u < X_LINES + p.cancelRatio() && !recent.isEmpty()) {
            Order r = recent.get(random.nextInt(recent.size()));
            return new Order(r.orderNo, "D", timestamp, r.price, 0, r.volume, r.security, r.account, r.direction);
        }
        Order rec = add(sec, timestamp);
        if (recent.size() < RECENT) recent.add(rec);
        else recent.set(random.nextInt(RECENT), rec);
        return rec;
    }

    private Order add(int sec, long timestamp) {
        double step = random.nextDouble();
        double m = mid[sec] + (step < 0.3 ? -TICK : step > 0.7 ? TICK : 0);
        m = Math.max(TICK, Math.round(m * 100) / 100.0);
        mid[sec] = m;
        String direction = random.nextDouble() < 0.5 ? "B" : "S";
        boolean marketable = random.nextDouble() < MARKETABLE;
        int ticks = marketable ? geometric(0.6) : geometric(0.3);
        int sign = direction.equals("B") == marketable ? 1 : -1;
        double price = Math.max(TICK, Math.round((m + sign * ticks * TICK) * 100) / 100.0);
        double volume = 100 * (1 + geometric(0.2));
        String security = String.valueOf(600000 + sec);
        String account = "A" + (100_000_000 + accountZipf.next());
        return new Order(nextOrderNo++, "A", timestamp, price, 0, volume, security, account, direction);
    }

    private int geometric(double prob) {
        int k = 0;
        while (random.nextDouble() >= prob && k < 50) k++;
        return k;
    }

    private double exponential(double mean) {
        return -mean * StrictMath.log(1 - random.nextDouble());
    }

    private long poisson(double lambda) {
        if (lambda <= 0) return 0;
        if (lambda < 30) {
            double limit = StrictMath.exp(-lambda);
            long k = 0;
            double prod = random.nextDouble();
            while (prod > limit) {
                k++;
                prod *= random.nextDouble();
            }
            return k;
        }
        double u1 = Math.max(Double.MIN_VALUE, random.nextDouble());
        double z = Math.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * random.nextDouble());
        return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
    }

    private static double intensity(double tau) {
        double open = 1.6 * StrictMath.exp(-tau / 600);
        double afternoon = tau >= SESSION_S / 2.0 ? 0.5 * StrictMath.exp(-(tau - SESSION_S / 2.0) / 600) : 0;
        double close = 0.9 * StrictMath.exp(-(SESSION_S - tau) / 900);
        return 1 + open + afternoon + close;
    }

    private static double meanIntensity() {
        double s = 0;
        for (int t = 0; t < SESSION_S; t++) s += intensity(t + 0.5);
        return s / SESSION_S;
    }

    static double baseRate(double rate, double tau) {
        return (rate * intensity(tau)) / MEAN_INTENSITY;
    }

    static long sessionTimeMs(double tau) {
        double s = tau < SESSION_S / 2.0 ? MORNING_OPEN_S + tau : AFTERNOON_OPEN_S + (tau - SESSION_S / 2.0);
        return SESSION_DATE_MS + (long) Math.floor(s) * 1000;
    }
}
