package spacker.flink;

import java.io.BufferedWriter;
import java.io.IOException;
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
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;

/**
 * Runs {@link StatefulMap} and dumps its per-key record counts: on every savepoint (the "on demand" dump:
 * trigger a savepoint) into `<run>/counts/savepoint-<id>/` and when the input ends into `<run>/counts/final/`,
 * one `<operator>-<subtask>.csv` per subtask with `key,key_group,count`. The dump needs the keyed state
 * backend (to visit every key), which only an operator, not a function, can reach.
 */
public class StatefulMapOperator extends KeyedProcessOperator<String, MicroRecord, Void> {
    private static final long serialVersionUID = 1L;
    public static final String COUNTS_HEADER = "key,key_group,count";

    private final Params params;

    public StatefulMapOperator(Params params) {
        super(new StatefulMap(params));
        this.params = params;
    }

    @Override
    public OperatorSnapshotFutures snapshotState(long checkpointId, long timestamp, CheckpointOptions options,
            CheckpointStreamFactory factory) throws Exception {
        if (options.getCheckpointType().isSavepoint()) dumpCounts("savepoint-" + checkpointId);
        return super.snapshotState(checkpointId, timestamp, options, factory);
    }

    @Override
    public void finish() throws Exception {
        super.finish();
        dumpCounts("final");
    }

    /** Writes every key's count of this subtask to `<run>/counts/<label>/<operator>-<subtask>.csv`, atomically. */
    private void dumpCounts(String label) throws Exception {
        Path dir = Path.of(params.output).resolve("counts").resolve(label);
        Files.createDirectories(dir);
        String name = StatefulMap.NAME + "-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + ".csv";
        Path tmp = dir.resolve(name + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(COUNTS_HEADER + "\n");
            getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    StatefulMap.countDescriptor(), (Object key, ValueState<Long> count) -> {
                        Long n = count.value();
                        if (n == null) return;
                        String k = (String) key;
                        int kg = KeyGroupRangeAssignment.assignToKeyGroup(k, params.maxParallelism);
                        try {
                            w.write(k + "," + kg + "," + n + "\n");
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    });
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
