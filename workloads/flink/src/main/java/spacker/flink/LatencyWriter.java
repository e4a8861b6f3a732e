package spacker.flink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One subtask's per-record latency log in the harness's format (experiments/src/results/latency-log-worker.ts,
 * read by analysis/src/read/latency-log.ts): `<run>/latency/<operator>-<subtask>.csv`, header
 * `ts_ms,key_group,latency_ms`, one line per record with `ts_ms` = completion time in ms since the run's start
 * and both times with 3 decimals. A background thread flushes it every second; a file that already has lines
 * (a subtask resumed from a savepoint) is appended to, so a rescaled run keeps what came before.
 */
public final class LatencyWriter implements AutoCloseable {
    public static final String HEADER = "ts_ms,key_group,latency_ms";

    private final Path path;
    private final Writer out;
    private final ScheduledExecutorService flusher;
    private final StringBuilder line = new StringBuilder(64);
    private IOException failure;

    public LatencyWriter(Path runDir, String operator, int subtask) throws IOException {
        Path dir = runDir.resolve("latency");
        Files.createDirectories(dir);
        path = dir.resolve(operator + "-" + subtask + ".csv");
        boolean fresh = !Files.exists(path) || Files.size(path) == 0;
        out = new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 1 << 16);
        if (fresh) out.write(HEADER + "\n");
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "latency-flush-" + operator + "-" + subtask);
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleAtFixedRate(this::flush, 1, 1, TimeUnit.SECONDS);
    }

    public Path path() {
        return path;
    }

    /** Appends one record's line. */
    public synchronized void write(double tsMs, int keyGroup, double latencyMs) throws IOException {
        if (failure != null) throw failure;
        line.setLength(0);
        appendFixed3(line, tsMs).append(',').append(keyGroup).append(',');
        appendFixed3(line, latencyMs).append('\n');
        out.append(line);
    }

    /** Writes the buffered lines to the file (called every second and at close). */
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            if (failure == null) failure = e;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        flusher.shutdownNow();
        out.close();
        if (failure != null) throw new UncheckedIOException(path.toString(), failure);
    }

    /** `x` rounded to the nearest thousandth, with exactly 3 decimals (as JavaScript's toFixed(3)). */
    static StringBuilder appendFixed3(StringBuilder b, double x) {
        long t = Math.round(x * 1000);
        if (t < 0) {
            b.append('-');
            t = -t;
        }
        long frac = t % 1000;
        b.append(t / 1000).append('.');
        if (frac < 100) b.append('0');
        if (frac < 10) b.append('0');
        return b.append(frac);
    }
}
