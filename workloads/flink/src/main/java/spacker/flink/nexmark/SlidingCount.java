package spacker.flink.nexmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import spacker.flink.Clock;
import spacker.flink.LatencyWriter;
import spacker.flink.NexmarkParams;

/**
 * Nexmark Q5's first stage, `window` (workloads/src/nexmark/queries/q5-hot-items.ts SlidingCount): bids per
 * auction in sliding event-time windows, keyed by auction. Per auction the state holds one count per
 * slide-long pane, and a timer per window end: window [end - size, end) fires once the watermark reaches
 * `end` and emits the sum of its panes (if any bid). Each bid's latency goes to this subtask's latency log.
 */
public class SlidingCount extends KeyedProcessFunction<Long, Event, AuctionCount> {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "window";

    private final NexmarkParams params;
    private final long sizeMs;
    private final long slideMs;
    /** Per auction: pane start -> bids in [start, start + slide). */
    private transient MapState<Long, Long> panes;
    private transient LatencyWriter latency;

    public SlidingCount(NexmarkParams params) {
        this.params = params;
        this.sizeMs = params.windowSizeMs;
        this.slideMs = params.windowSlideMs;
        if (slideMs <= 0 || sizeMs <= 0 || sizeMs % slideMs != 0) throw new IllegalArgumentException("window size " + sizeMs + " ms must be a positive multiple of the slide " + slideMs + " ms");
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        panes = getRuntimeContext().getMapState(new MapStateDescriptor<>("q5-panes", Types.LONG, Types.LONG));
        latency = new LatencyWriter(Path.of(params.output), NAME, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<AuctionCount> out) throws Exception {
        long pane = Math.floorDiv(e.bid.dateTime, slideMs) * slideMs;
        Long n = panes.get(pane);
        panes.put(pane, n == null ? 1 : n + 1);
        // A new pane: it takes part in the windows ending at pane + slide .. pane + size.
        if (n == null) for (long end = pane + slideMs; end <= pane + sizeMs; end += slideMs) ctx.timerService().registerEventTimeTimer(end);
        double now = Clock.nowMs();
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(ctx.getCurrentKey(), params.maxParallelism);
        latency.write(now - params.startEpochMs, keyGroup, now - e.scheduledMs);
    }

    @Override
    public void onTimer(long end, OnTimerContext ctx, Collector<AuctionCount> out) throws Exception {
        long count = 0;
        List<Long> stale = new ArrayList<>();
        for (Map.Entry<Long, Long> p : panes.entries()) {
            long pane = p.getKey();
            if (pane >= end - sizeMs && pane < end) count += p.getValue();
            // No later window covers a pane before end + slide - size.
            if (pane < end + slideMs - sizeMs) stale.add(pane);
        }
        for (long pane : stale) panes.remove(pane);
        if (panes.isEmpty()) panes.clear();
        if (count > 0) out.collect(new AuctionCount(ctx.getCurrentKey(), count, end));
    }

    @Override
    public void close() throws Exception {
        if (latency != null) latency.close();
        latency = null;
    }
}
