package spacker.flink.stock;

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

import spacker.flink.Clock;

/**
 * The Stock source, open loop, as the embedded TapeSource: the tape (the order file's slots within the
 * runtime, or the generator's) is built in open(); subtask s of p emits orders s, s + p, s + 2p, ..., order g
 * due at start + slot(g) x 50 ms. It sleeps until an order is due and then emits every due order, never
 * skipping one; each carries its scheduled time (latency = completion - scheduled) and its tape index.
 * The position is checkpointed (union state by subtask), so a job resumed from a savepoint continues the
 * tape; the source parallelism must stay the same.
 */
public class StockSource extends RichParallelSourceFunction<Order> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    /** Orders emitted under one acquisition of the checkpoint lock at most (keeps checkpoints timely). */
    private static final int MAX_BATCH = 1024;

    private final StockParams params;
    private volatile boolean running = true;
    private transient OrderTape tape;
    private transient ListState<Tuple2<Integer, Long>> positionState;
    /** Local orders emitted so far. */
    private transient long emitted;
    private transient long restored = -1;

    public StockSource(StockParams params) {
        this.params = params;
    }

    @Override
    public void open(OpenContext openContext) {
        tape = params.tape();
        emitted = Math.max(0, restored);
    }

    @Override
    public void run(SourceContext<Order> ctx) {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int sources = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        long total = tape.records.size();
        long share = total / sources + (subtask < total % sources ? 1 : 0);
        double start = params.startEpochMs;
        while (running && emitted < share) {
            double waitMs = start + tape.offsetMs(emitted * sources + subtask) - Clock.nowMs();
            if (waitMs > 0) {
                LockSupport.parkNanos((long) (waitMs * 1e6));
                continue;
            }
            synchronized (ctx.getCheckpointLock()) {
                double now = Clock.nowMs();
                for (int n = 0; n < MAX_BATCH && emitted < share; n++) {
                    long g = emitted * sources + subtask;
                    double at = start + tape.offsetMs(g);
                    if (at > now) break;
                    ctx.collect(tape.records.get((int) g).scheduled(at, g));
                    emitted++;
                }
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
                "stock-source-position", TypeInformation.of(new TypeHint<Tuple2<Integer, Long>>() {})));
        if (!context.isRestored()) return;
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int sources = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        int seen = 0;
        for (Tuple2<Integer, Long> p : positionState.get()) {
            seen++;
            if (p.f0 == subtask) restored = p.f1;
        }
        if (seen != sources) {
            throw new IllegalStateException("the stock source was snapshotted with parallelism " + seen
                    + " and restored with " + sources + ": spacker.source_parallelism must not change");
        }
    }
}
