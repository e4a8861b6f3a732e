package spacker.flink;

import java.util.concurrent.locks.LockSupport;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;

/**
 * An open-loop source subtask (MicroSource, NexmarkSource, StockSource): local record i is due at start +
 * {@link #offsetMs} (i * 1000 / rate for a constant rate, {@link Schedule}); the subtask sleeps until a record
 * is due, then emits every record that is due, never skipping one, so records that go out late carry their
 * scheduled time and the lateness shows in the measured latency. Subclasses say when and what record i is
 * ({@link #offsetMs}, {@link #emit}) and may add to each batch ({@link #afterBatch}, e.g. a watermark).
 *
 * The position (records emitted) is checkpointed as union state picked by subtask index, so a job resumed
 * from a savepoint (e.g. with another parallelism of the stateful operators) continues the same sequence;
 * the source parallelism must stay the same.
 */
public abstract class OpenLoopSource<T> extends RichParallelSourceFunction<T> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    /** Records emitted under one acquisition of the checkpoint lock at most (keeps checkpoints timely). */
    private static final int MAX_BATCH = 1024;

    private final String stateName;
    private volatile boolean running = true;
    private transient ListState<Tuple2<Integer, Long>> positionState;
    /** Local records emitted so far. */
    private transient long emitted;
    /** Position restored from a snapshot, -1 if none. */
    private transient long restored = -1;

    /** `stateName` names the position's union state (one per job: it is matched by name on restore). */
    protected OpenLoopSource(String stateName) {
        this.stateName = stateName;
    }

    /** Records subtask `subtask` of `sources` emits in total. */
    protected abstract long shareOf(int subtask, int sources);

    /** When local record `index` of subtask `subtask` of `sources` is due, ms after the start. */
    protected abstract double offsetMs(long index, int subtask, int sources);

    /** Epoch ms of scheduled time 0. */
    protected abstract long startEpochMs();

    /** Emits local record `index`, scheduled `offsetMs` after the start. */
    protected abstract void emit(SourceContext<T> ctx, long index, double offsetMs, int subtask, int sources);

    /** After a batch, under the checkpoint lock: `emitted` records are out, the next is due at `nextOffsetMs`. */
    protected void afterBatch(SourceContext<T> ctx, long emitted, double nextOffsetMs) {}

    @Override
    public void open(OpenContext openContext) {
        emitted = restored < 0 ? 0 : restored;
    }

    @Override
    public void run(SourceContext<T> ctx) {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int sources = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        long share = shareOf(subtask, sources);
        double start = startEpochMs();
        while (running && emitted < share) {
            double dueMs = start + offsetMs(emitted, subtask, sources);
            double waitMs = dueMs - Clock.nowMs();
            if (waitMs > 0) {
                LockSupport.parkNanos((long) (waitMs * 1e6));
                continue;
            }
            synchronized (ctx.getCheckpointLock()) {
                double now = Clock.nowMs();
                for (int n = 0; n < MAX_BATCH && emitted < share; n++) {
                    double offset = offsetMs(emitted, subtask, sources);
                    if (start + offset > now) break;
                    emit(ctx, emitted, offset, subtask, sources);
                    emitted++;
                }
                if (emitted < share) afterBatch(ctx, emitted, offsetMs(emitted, subtask, sources));
            }
        }
    }

    @Override
    public void cancel() {
        running = false;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        positionState.clear();
        positionState.add(Tuple2.of(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), emitted));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        positionState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(
                stateName, TypeInformation.of(new TypeHint<Tuple2<Integer, Long>>() {})));
        if (!context.isRestored()) return;
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int sources = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        int seen = 0;
        for (Tuple2<Integer, Long> p : positionState.get()) {
            seen++;
            if (p.f0 == subtask) restored = p.f1;
        }
        if (seen != sources) {
            throw new IllegalStateException("the source '" + stateName + "' was snapshotted with parallelism " + seen
                    + " and restored with " + sources + ": spacker.source_parallelism must not change");
        }
    }
}
