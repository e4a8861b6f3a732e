package spacker.flink.stock;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;

/**
 * Runs {@link MatchMaker}, flushes its trades at every checkpoint, and dumps every book of this subtask (one
 * line per security, {@link OrderBook#HEADER}) on every savepoint into `<run>/results/books/savepoint-<id>/`
 * and when its input ends into `<run>/results/books/final/`, as `<operator>-<subtask>.csv`. The dump needs
 * the keyed state backend (to visit every key), which only an operator can reach.
 */
public class MatchMakerOperator extends KeyedProcessOperator<String, Order, Void> implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final StockParams params;

    public MatchMakerOperator(StockParams params) {
        super(new MatchMaker(params));
        this.params = params;
    }

    @Override
    public OperatorSnapshotFutures snapshotState(long checkpointId, long timestamp, CheckpointOptions options,
            CheckpointStreamFactory factory) throws Exception {
        ((MatchMaker) userFunction).flush();
        if (options.getCheckpointType().isSavepoint()) dumpBooks("savepoint-" + checkpointId);
        return super.snapshotState(checkpointId, timestamp, options, factory);
    }

    /**
     * The input ended (the source emitted its last order), not a stop with a savepoint: a stopped job's
     * operators are finished too, but their input has not ended, and a dump there would outlive a rescale to
     * fewer subtasks.
     */
    @Override
    public void endInput() throws Exception {
        ((MatchMaker) userFunction).flush();
        dumpBooks("final");
    }

    /** Writes every book of this subtask to `<run>/results/books/<label>/<operator>-<subtask>.csv`, atomically. */
    private void dumpBooks(String label) throws Exception {
        Path dir = Path.of(params.output).resolve("results").resolve("books").resolve(label);
        Files.createDirectories(dir);
        String name = MatchMaker.NAME + "-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + ".csv";
        Path tmp = dir.resolve(name + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(OrderBook.HEADER + "\n");
            getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    MatchMaker.bookDescriptor(), (Object key, ValueState<OrderBook> state) -> {
                        OrderBook b = state.value();
                        if (b == null) return;
                        String security = (String) key;
                        try {
                            w.write(b.line(security, KeyGroupRangeAssignment.assignToKeyGroup(security, params.maxParallelism)) + "\n");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
