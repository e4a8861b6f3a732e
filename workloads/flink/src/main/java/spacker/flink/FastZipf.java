package spacker.flink;

import java.util.Random;

/**
 * The zipf generator of the embedded engine (engine/src/core/fast-zipf.ts, after the reference's
 * FastZipfGenerator): weights 1/i^skew over ranks 1..size in a normalized cumulative table; a draw is the
 * first rank whose cumulative probability reaches a uniform `nextDouble()`, minus one. Skew 0 is uniform.
 * StrictMath.pow (fdlibm) is used so that the table matches the TypeScript side's to the bit.
 */
public final class FastZipf {
    private final double[] cumulative;
    private final Random random;

    public FastZipf(int size, double skew, long seed) {
        if (size < 1) throw new IllegalArgumentException("FastZipf: size must be >= 1, got " + size);
        if (!(skew >= 0)) throw new IllegalArgumentException("FastZipf: skew must be >= 0, got " + skew);
        cumulative = new double[size];
        double sum = 0;
        for (int i = 1; i <= size; i++) sum += 1 / StrictMath.pow(i, skew);
        double acc = 0;
        for (int i = 1; i <= size; i++) {
            acc += 1 / StrictMath.pow(i, skew) / sum;
            cumulative[i - 1] = acc;
        }
        cumulative[size - 1] = 1;
        random = new Random(seed);
    }

    /** The next value, 0-based (0 = rank 1, the hottest). */
    public int next() {
        double x = random.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] >= x) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
