package spacker.flink;

/**
 * The open-loop schedule of the embedded engine's constant RateProfile (engine/src/core/rate-profile.ts):
 * record i of a source emitting `ratePerSec` is due `i * 1000 / ratePerSec` ms after the start. The same
 * double arithmetic as the TypeScript side, so both place each record in the same second.
 */
public final class Schedule {
    private Schedule() {}

    /** Scheduled time of record `i`, ms after the start. */
    public static double offsetMs(long i, double ratePerSec) {
        return (i * 1000.0) / ratePerSec;
    }

    /** Number of records scheduled strictly before `ms` (the count of a source that runs `ms`). */
    public static long countBefore(double ratePerSec, double ms) {
        if (!(ms > 0)) return 0;
        long n = Math.max(1, (long) Math.floor(ms * ratePerSec / 1000) + 1);
        while (offsetMs(n, ratePerSec) < ms) n++;
        while (n > 1 && !(offsetMs(n - 1, ratePerSec) < ms)) n--;
        return n;
    }
}
