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
 * The micro-benchmark source, open loop: subtask s emits its share of the records, local record i being due
 * at start + i / (rate / source parallelism). It sleeps until a record is due and then emits every record
 * that is due, never skipping one: when it falls behind, the records go out late and carry their scheduled
 * time, so the lateness shows in the measured latency.
 *
 * Its position (records emitted) is checkpointed, so a job resumed from a savepoint (e.g. with another
 * parallelism of the stateful operator) continues the same sequence; the source parallelism must stay the same.
 */
public class MicroSource extends RichParallelSourceFunction<MicroRecord> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    /** Records emitted under one acquisition of the checkpoint lock at most (keeps checkpoints timely). */
    private static final int MAX_BATCH = 1024;

    private final Params params;
    private final KeySpace keys;
    private volatile boolean running = true;
    private transient ListState<Tuple2<Integer, Long>> positionState;
    /** Local records emitted so far. */
    private transient long emitted;
    /** Position restored from a snapshot, -1 if none. */
    private transient long restored = -1;

    public MicroSource(Params params, KeySpace keys) {
        this.params = params;
        this.keys = keys;
    }

    @Override
    public void open(OpenContext openContext) {
        if (restored < 0) emitted = 0;
        else emitted = restored;
    }

    @Override
    public void run(SourceContext<MicroRecord> ctx) {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int sources = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        long share = params.shareOf(subtask);
        double rate = params.perTaskRate * params.parallelism / sources;
        double start = params.startEpochMs;
        MicroKeys gen = MicroKeys.forSubtask(params, keys, subtask);
        // Re-draw the records already emitted before a restore: the generator is sequential.
        for (long i = 0; i < emitted; i++) gen.next(i, Schedule.offsetMs(i, rate));
        while (running && emitted < share) {
            double dueMs = start + Schedule.offsetMs(emitted, rate);
            double waitMs = dueMs - Clock.nowMs();
            if (waitMs > 0) {
                LockSupport.parkNanos((long) (waitMs * 1e6));
                continue;
            }
            synchronized (ctx.getCheckpointLock()) {
                double now = Clock.nowMs();
                for (int n = 0; n < MAX_BATCH && emitted < share; n++) {
                    double offset = Schedule.offsetMs(emitted, rate);
                    if (start + offset > now) break;
                    gen.next(emitted, offset);
                    ctx.collect(new MicroRecord(gen.key, gen.access, start + offset, emitted * sources + subtask));
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
        // Union state: every subtask sees all positions and picks its own by subtask index.
        positionState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(
                "micro-source-position", TypeInformation.of(new TypeHint<Tuple2<Integer, Long>>() {})));
        if (!context.isRestored()) return;
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int sources = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        int seen = 0;
        for (Tuple2<Integer, Long> p : positionState.get()) {
            seen++;
            if (p.f0 == subtask) restored = p.f1;
        }
        if (seen != sources) {
            throw new IllegalStateException("the micro-benchmark source was snapshotted with parallelism " + seen
                    + " and restored with " + sources + ": spacker.source_parallelism must not change");
        }
    }
}
