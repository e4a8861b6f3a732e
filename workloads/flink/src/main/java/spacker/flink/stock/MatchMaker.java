package spacker.flink.stock;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import spacker.flink.Clock;
import spacker.flink.LatencyWriter;

/**
 * `MatchMaker FlatMap` (workloads/src/stock/operators.ts, OrderMatcher): per security its order book as the
 * value state `order-book`, matched with price-time priority. Each order's trades go to this subtask's
 * trades file `<run>/results/trades/<operator>-<subtask>.csv` (appended to across restarts; flushed at every
 * checkpoint, so what a restart replays is at most written twice, never lost) and its latency to
 * `<run>/latency/<operator>-<subtask>.csv`. Emits nothing.
 */
public class MatchMaker extends KeyedProcessFunction<String, Order, Void> {
    private static final long serialVersionUID = 1L;

    /** The operator's name, as in the embedded job: latency and results files are `<name>-<subtask>.csv`. */
    public static final String NAME = "MatchMaker FlatMap";

    private final StockParams params;
    private transient ValueState<OrderBook> book;
    private transient LatencyWriter latency;
    private transient Writer trades;

    public MatchMaker(StockParams params) {
        this.params = params;
    }

    static ValueStateDescriptor<OrderBook> bookDescriptor() {
        return new ValueStateDescriptor<>("order-book", TypeInformation.of(OrderBook.class));
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        book = getRuntimeContext().getState(bookDescriptor());
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        latency = new LatencyWriter(Path.of(params.output), NAME, subtask);
        Path dir = Path.of(params.output).resolve("results").resolve("trades");
        Files.createDirectories(dir);
        Path file = dir.resolve(NAME + "-" + subtask + ".csv");
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        trades = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 1 << 16);
        if (fresh) trades.write(Trade.HEADER + "\n");
    }

    @Override
    public void processElement(Order o, Context ctx, Collector<Void> out) throws Exception {
        OrderBook b = book.value();
        if (b == null) b = new OrderBook();
        for (Trade t : b.apply(o, o.seq)) trades.write(t.line() + "\n");
        book.update(b);
        double now = Clock.nowMs();
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(o.security, params.maxParallelism);
        latency.write(now - params.startEpochMs, keyGroup, now - o.scheduledMs);
    }

    /** Writes the buffered trades and latency lines (at every checkpoint and at the end). */
    void flush() throws IOException {
        if (trades != null) trades.flush();
        if (latency != null) latency.flush();
    }

    @Override
    public void close() throws Exception {
        if (trades != null) trades.close();
        trades = null;
        if (latency != null) latency.close();
        latency = null;
    }
}
