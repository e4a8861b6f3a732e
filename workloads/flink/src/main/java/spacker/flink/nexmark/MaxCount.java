package spacker.flink.nexmark;

import java.nio.file.Path;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import spacker.flink.NexmarkParams;

/**
 * Nexmark Q5's second stage, `max` (q5-hot-items.ts MaxCount), keyed by window end: the auction with the most
 * bids in the window, ties to the lowest id. It fires 1 ms after the window's end (every count of the window
 * is in by then: the counts of window end E are emitted before the watermark E passes), and writes the
 * window's hot item to `<run>/results/max-<subtask>.csv` (fields `auction,count,window_end`).
 */
public class MaxCount extends KeyedProcessFunction<Long, AuctionCount, Void> {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "max";
    public static final String FIELDS = "auction,count,window_end";

    private final NexmarkParams params;
    /** Per window end: the largest count so far. */
    private transient ValueState<AuctionCount> best;
    private transient ResultWriter results;

    public MaxCount(NexmarkParams params) {
        this.params = params;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        best = getRuntimeContext().getState(new ValueStateDescriptor<>("q5-max", TypeInformation.of(AuctionCount.class)));
        results = new ResultWriter(Path.of(params.output), NAME, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), FIELDS);
    }

    @Override
    public void processElement(AuctionCount c, Context ctx, Collector<Void> out) throws Exception {
        AuctionCount b = best.value();
        if (b == null) ctx.timerService().registerEventTimeTimer(c.windowEnd + 1);
        if (b == null || c.count > b.count || (c.count == b.count && c.auction < b.auction)) best.update(new AuctionCount(c.auction, c.count, c.windowEnd));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Void> out) throws Exception {
        AuctionCount b = best.value();
        best.clear();
        if (b != null) results.write(b.csv());
    }

    @Override
    public void close() throws Exception {
        if (results != null) results.close();
        results = null;
    }
}
