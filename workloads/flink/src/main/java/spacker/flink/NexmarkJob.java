package spacker.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import spacker.flink.nexmark.AuctionCount;
import spacker.flink.nexmark.Event;
import spacker.flink.nexmark.MaxCount;
import spacker.flink.nexmark.NewUsersJoin;
import spacker.flink.nexmark.NexmarkSource;
import spacker.flink.nexmark.SlidingCount;

/**
 * Nexmark Q5 and Q8 as a Flink job, equal to the embedded job (workloads/src/nexmark/nexmark.ts): `Source`
 * (the Nexmark stream, event time, watermarks) keyed into the query's operator, named as the embedded job
 * names it: Q5 `window` (keyed by auction) then `max` (keyed by window end), Q8 `join` (keyed by person id =
 * seller). `window` and `join` write each record's latency to `<output>/latency/<name>-<subtask>.csv`; the
 * last stage writes the results to `<output>/results/<name>-<subtask>.csv`. Every operator has a uid and keeps
 * keyed state only (the source's position is union state), so a savepoint resumes at another parallelism.
 * The keyed operators run at the environment's parallelism (the submission's); the source at
 * spacker.source_parallelism. Arguments: see {@link NexmarkParams}.
 */
public final class NexmarkJob {
    private NexmarkJob() {}

    public static void main(String[] args) throws Exception {
        // A bad argument is thrown, not turned into System.exit (see MicroBenchmarkJob).
        NexmarkParams params = NexmarkParams.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, params);
        env.execute("nexmark-" + params.query);
    }

    /** The name of the query's stateful operator whose latency is measured (and that the harness rescales). */
    public static String operatorOf(String query) {
        return query.equals("q5") ? SlidingCount.NAME : NewUsersJoin.NAME;
    }

    /** Adds the query's operators to `env`. */
    public static void build(StreamExecutionEnvironment env, NexmarkParams p) {
        env.setMaxParallelism(p.maxParallelism);
        if (p.checkpointIntervalMs > 0) env.enableCheckpointing(p.checkpointIntervalMs);
        boolean q5 = p.query.equals("q5");
        // Kinds read (person, auction, bid): Q5 bids, Q8 people and auctions.
        boolean[] reads = q5 ? new boolean[] {false, false, true} : new boolean[] {true, true, false};
        DataStream<Event> source = env
                .addSource(new NexmarkSource(p, reads), "Source", TypeInformation.of(Event.class))
                .setParallelism(p.sourceParallelism)
                .uid("nexmark-source");
        if (q5) {
            source.keyBy(e -> e.bid.auction, Types.LONG)
                    .process(new SlidingCount(p), TypeInformation.of(AuctionCount.class))
                    .name(SlidingCount.NAME).uid("q5-window")
                    .keyBy(c -> c.windowEnd, Types.LONG)
                    .process(new MaxCount(p), Types.VOID)
                    .name(MaxCount.NAME).uid("q5-max");
        } else {
            source.keyBy(e -> e.person != null ? e.person.id : e.auction.seller, Types.LONG)
                    .process(new NewUsersJoin(p), Types.VOID)
                    .name(NewUsersJoin.NAME).uid("q8-join");
        }
    }
}
