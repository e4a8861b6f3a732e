package spacker.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import spacker.flink.stock.MatchMaker;
import spacker.flink.stock.MatchMakerOperator;
import spacker.flink.stock.Order;
import spacker.flink.stock.StockParams;
import spacker.flink.stock.StockSource;

/**
 * The Stock workload's matching job on Flink, equal to the embedded one with spacker.stock.matching=true up to
 * `MatchMaker FlatMap` (workloads/src/stock/stock.ts): `Source` (the order file or the seeded generator,
 * replayed slot by slot) -> keyBy(security, a String as in the embedded job, so the key groups are the
 * embedded engine's) -> `MatchMaker FlatMap` (per security an order book, price-time priority). Arguments:
 * `--key value` with the harness's keys plus `--output <run folder>` (see {@link StockParams}). The job ends
 * when the source has emitted the orders scheduled within spacker.runtime.
 */
public final class StockJob {
    private StockJob() {}

    public static void main(String[] args) throws Exception {
        StockParams params = StockParams.fromArgs(args);
        // An order file that does not parse is refused here, before the job is submitted (path:line: reason).
        if (!params.file.isEmpty()) params.tape();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, params);
        env.execute("stock");
    }

    /** Adds the job's operators to `env`. */
    public static void build(StreamExecutionEnvironment env, StockParams params) {
        env.setMaxParallelism(params.maxParallelism);
        if (params.checkpointIntervalMs > 0) env.enableCheckpointing(params.checkpointIntervalMs);
        DataStream<Order> source = env
                .addSource(new StockSource(params), "Source", TypeInformation.of(Order.class))
                .setParallelism(params.sourceParallelism)
                .uid("stock-source");
        source.keyBy(o -> o.security, Types.STRING)
                .transform(MatchMaker.NAME, Types.VOID, new MatchMakerOperator(params))
                .setParallelism(params.parallelism)
                .setMaxParallelism(params.maxParallelism)
                .uid("matchmaker-flatmap");
    }
}
