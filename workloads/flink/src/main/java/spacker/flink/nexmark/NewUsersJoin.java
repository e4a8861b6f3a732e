package spacker.flink.nexmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import spacker.flink.Clock;
import spacker.flink.LatencyWriter;
import spacker.flink.NexmarkParams;

/**
 * Nexmark Q8, monitor new users, `join` (workloads/src/nexmark/queries/q8-new-users.ts): people who opened
 * an auction in the same tumbling event-time window as they registered, a window join of people and
 * auctions on id = seller, keyed by person id. Per key the state lists the window's people and auctions
 * (each with its window start); a timer at the window's end writes every pair to
 * `<run>/results/join-<subtask>.csv` (fields `id,name,auction,reserve,window_start`) and drops the window.
 * Each event's latency goes to this subtask's latency log.
 */
public class NewUsersJoin extends KeyedProcessFunction<Long, Event, Void> {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "join";
    public static final String FIELDS = "id,name,auction,reserve,window_start";

    private final NexmarkParams params;
    private final long sizeMs;
    /** `(windowStart, name)` per person event of the key. */
    private transient ListState<Tuple2<Long, String>> people;
    /** `(windowStart, auction id, reserve)` per auction of the key (as seller). */
    private transient ListState<Tuple3<Long, Long, Long>> auctions;
    private transient LatencyWriter latency;
    private transient ResultWriter results;

    public NewUsersJoin(NexmarkParams params) {
        this.params = params;
        this.sizeMs = params.windowSizeMs;
        if (sizeMs <= 0) throw new IllegalArgumentException("window size must be > 0 ms, got " + sizeMs);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        people = getRuntimeContext().getListState(new ListStateDescriptor<>("q8-people", TypeInformation.of(new TypeHint<Tuple2<Long, String>>() {})));
        auctions = getRuntimeContext().getListState(new ListStateDescriptor<>("q8-auctions", TypeInformation.of(new TypeHint<Tuple3<Long, Long, Long>>() {})));
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        latency = new LatencyWriter(Path.of(params.output), NAME, subtask);
        results = new ResultWriter(Path.of(params.output), NAME, subtask, FIELDS);
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Void> out) throws Exception {
        long start = Math.floorDiv(e.dateTime(), sizeMs) * sizeMs;
        if (e.person != null) people.add(Tuple2.of(start, e.person.name));
        else auctions.add(Tuple3.of(start, e.auction.id, e.auction.reserve));
        // One timer per key and window end (Flink keeps one of several registrations).
        ctx.timerService().registerEventTimeTimer(start + sizeMs);
        double now = Clock.nowMs();
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(ctx.getCurrentKey(), params.maxParallelism);
        latency.write(now - params.startEpochMs, keyGroup, now - e.scheduledMs);
    }

    @Override
    public void onTimer(long end, OnTimerContext ctx, Collector<Void> out) throws Exception {
        long start = end - sizeMs;
        List<Tuple2<Long, String>> keptPeople = new ArrayList<>();
        List<Tuple3<Long, Long, Long>> keptAuctions = new ArrayList<>();
        List<Tuple3<Long, Long, Long>> windowAuctions = new ArrayList<>();
        for (Tuple3<Long, Long, Long> a : orEmpty(auctions.get())) (a.f0 == start ? windowAuctions : keptAuctions).add(a);
        for (Tuple2<Long, String> p : orEmpty(people.get())) {
            if (p.f0 != start) {
                keptPeople.add(p);
                continue;
            }
            for (Tuple3<Long, Long, Long> a : windowAuctions) results.write(ctx.getCurrentKey() + "," + p.f1 + "," + a.f1 + "," + a.f2 + "," + start);
        }
        people.update(keptPeople);
        auctions.update(keptAuctions);
    }

    /** A list state's entries (some backends give null for none). */
    private static <T> Iterable<T> orEmpty(Iterable<T> entries) {
        return entries == null ? List.of() : entries;
    }

    @Override
    public void close() throws Exception {
        if (latency != null) latency.close();
        if (results != null) results.close();
        latency = null;
        results = null;
    }
}
