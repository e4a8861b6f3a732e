package spacker.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The micro-benchmark as a Flink job, equal to the embedded workload (workloads/src/micro-benchmark/):
 * `Source` -> keyBy(key) -> `Splitter FlatMap`. Keys are Strings `A<i>`, so Flink's key groups are the
 * embedded engine's. Arguments: `--key value` with the harness's configuration keys plus `--output <run
 * folder>` (see {@link Params}). The job ends when the sources have emitted spacker.runtime seconds of input.
 */
public final class MicroBenchmarkJob {
    private MicroBenchmarkJob() {}

    public static void main(String[] args) throws Exception {
        // A bad argument is thrown, not turned into System.exit: when the program runs inside the JobManager
        // (jar submitted over REST), exiting would stop the JobManager itself.
        Params params = Params.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, params);
        env.execute("micro-benchmark");
    }

    /** Adds the job's operators to `env`. */
    public static void build(StreamExecutionEnvironment env, Params params) {
        env.setMaxParallelism(params.maxParallelism);
        if (params.checkpointIntervalMs > 0) env.enableCheckpointing(params.checkpointIntervalMs);
        KeySpace keys = new KeySpace(params.nKeys, params.maxParallelism);
        DataStream<MicroRecord> source = env
                .addSource(new MicroSource(params, keys), "Source", TypeInformation.of(MicroRecord.class))
                .setParallelism(params.sourceParallelism)
                .uid("source");
        source.keyBy(r -> r.key, Types.STRING)
                .transform(StatefulMap.NAME, Types.VOID, new StatefulMapOperator(params))
                .setParallelism(params.parallelism)
                .setMaxParallelism(params.maxParallelism)
                .uid("splitter-flatmap");
    }
}
