package spacker.flink;

import java.time.Instant;

/**
 * Wall-clock time in epoch ms with microsecond resolution: the source and the stateful operator may run in
 * different TaskManager processes, so both read the system's real-time clock (the same clock on one machine).
 */
public final class Clock {
    private Clock() {}

    public static double nowMs() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1000.0 + t.getNano() / 1e6;
    }
}
