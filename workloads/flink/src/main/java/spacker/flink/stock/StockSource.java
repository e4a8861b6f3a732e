package spacker.flink.stock;

import org.apache.flink.api.common.functions.OpenContext;

import spacker.flink.OpenLoopSource;

/**
 * The Stock source, open loop, as the embedded TapeSource: the tape (the order file's slots within the
 * runtime, or the generator's) is built in open(); subtask s of p emits orders s, s + p, s + 2p, ..., order g
 * due at start + slot(g) x 50 ms, each carrying its scheduled time (latency = completion - scheduled) and its
 * tape index. Emission and the checkpointed position are {@link OpenLoopSource}'s.
 */
public class StockSource extends OpenLoopSource<Order> {
    private static final long serialVersionUID = 1L;

    private final StockParams params;
    private transient OrderTape tape;

    public StockSource(StockParams params) {
        super("stock-source-position");
        this.params = params;
    }

    @Override
    public void open(OpenContext openContext) {
        tape = params.tape();
        super.open(openContext);
    }

    @Override
    protected long shareOf(int subtask, int sources) {
        long total = tape.records.size();
        return total / sources + (subtask < total % sources ? 1 : 0);
    }

    @Override
    protected double offsetMs(long index, int subtask, int sources) {
        return tape.offsetMs(index * sources + subtask);
    }

    @Override
    protected long startEpochMs() {
        return params.startEpochMs;
    }

    @Override
    protected void emit(SourceContext<Order> ctx, long index, double offsetMs, int subtask, int sources) {
        long g = index * sources + subtask;
        ctx.collect(tape.records.get((int) g).scheduled(params.startEpochMs + offsetMs, g));
    }
}
