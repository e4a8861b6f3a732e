package spacker.flink.nexmark;

import org.apache.flink.streaming.api.watermark.Watermark;

import spacker.flink.NexmarkParams;
import spacker.flink.OpenLoopSource;
import spacker.flink.Schedule;

/**
 * The Nexmark source (workloads/src/nexmark/source.ts): subtask s of P emits event numbers s, s+P, s+2P, ...
 * at their scheduled times (the whole stream's rate split evenly), keeping the kinds the query reads. By
 * default the other kinds are skipped without being generated; with spacker.nexmark.generate_all every event
 * is generated and the unread ones dropped. An event's time is its scheduled time in whole ms after the
 * start. Event time: a watermark (the next event's scheduled time, floored to whole ms) whenever the last
 * one is at least the watermark interval behind it, as the embedded source does.
 */
public class NexmarkSource extends OpenLoopSource<Event> {
    private static final long serialVersionUID = 1L;

    private final NexmarkParams params;
    private final NexmarkGenerator generator;
    /** Per kind (0 person, 1 auction, 2 bid): whether the query reads it. */
    private final boolean[] reads;
    /** The last watermark's scheduled time (ms after the start); none sent yet while `watermarked` is false. */
    private transient double watermarkMs;
    private transient boolean watermarked;

    public NexmarkSource(NexmarkParams params, boolean[] reads) {
        super("nexmark-source-position");
        this.params = params;
        this.generator = new NexmarkGenerator(params.generator);
        this.reads = reads.clone();
    }

    /** The event number of local record `index` of source subtask `subtask` of `sources`. */
    public static long eventNumber(long index, int subtask, int sources) {
        return index * sources + subtask;
    }

    @Override
    protected long shareOf(int subtask, int sources) {
        long total = params.totalEvents();
        return total / sources + (subtask < total % sources ? 1 : 0);
    }

    @Override
    protected double offsetMs(long index, int subtask, int sources) {
        return Schedule.offsetMs(index, params.eventsPerSec() / sources);
    }

    @Override
    protected long startEpochMs() {
        return params.startEpochMs;
    }

    @Override
    protected void emit(SourceContext<Event> ctx, long index, double offsetMs, int subtask, int sources) {
        long n = eventNumber(index, subtask, sources);
        if (!params.generateAll && !reads[generator.kindOf(n)]) return;
        long dateTime = (long) Math.floor(offsetMs);
        Event e = generator.event(n, dateTime, params.startEpochMs + offsetMs);
        if (reads[generator.kindOf(n)]) ctx.collectWithTimestamp(e, dateTime);
    }

    @Override
    protected void afterBatch(SourceContext<Event> ctx, long emitted, double nextOffsetMs) {
        if (watermarked && nextOffsetMs - watermarkMs < params.watermarkIntervalMs) return;
        watermarkMs = nextOffsetMs;
        watermarked = true;
        ctx.emitWatermark(new Watermark((long) Math.floor(nextOffsetMs)));
    }
}
