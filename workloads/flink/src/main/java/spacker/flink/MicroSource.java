package spacker.flink;

/**
 * The micro-benchmark source, open loop ({@link OpenLoopSource}): subtask s emits its share of the records,
 * local record i being due at start + i / (rate / source parallelism), with its scheduled time, so lateness
 * shows in the measured latency.
 *
 * Its position (records emitted) is checkpointed, so a job resumed from a savepoint (e.g. with another
 * parallelism of the stateful operator) continues the same sequence; the source parallelism must stay the same.
 */
public class MicroSource extends OpenLoopSource<MicroRecord> {
    private static final long serialVersionUID = 1L;

    private final Params params;
    private final KeySpace keys;
    /** The subtask's key sequence, created at the first record. */
    private transient MicroKeys gen;

    public MicroSource(Params params, KeySpace keys) {
        super("micro-source-position");
        this.params = params;
        this.keys = keys;
    }

    @Override
    protected long shareOf(int subtask, int sources) {
        return params.shareOf(subtask);
    }

    @Override
    protected double offsetMs(long index, int subtask, int sources) {
        return Schedule.offsetMs(index, ratePerSec(sources));
    }

    private double ratePerSec(int sources) {
        return params.perTaskRate * params.parallelism / sources;
    }

    @Override
    protected long startEpochMs() {
        return params.startEpochMs;
    }

    @Override
    protected void emit(SourceContext<MicroRecord> ctx, long index, double offsetMs, int subtask, int sources) {
        if (gen == null) {
            gen = MicroKeys.forSubtask(params, keys, subtask);
            // Re-draw the records already emitted before a restore: the generator is sequential.
            double rate = ratePerSec(sources);
            for (long i = 0; i < index; i++) gen.next(i, Schedule.offsetMs(i, rate));
        }
        gen.next(index, offsetMs);
        ctx.collect(new MicroRecord(gen.key, gen.access, params.startEpochMs + offsetMs, index * sources + subtask));
    }
}
