package spacker.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rescale through a savepoint (stop at parallelism 2, resume at 3) loses no key and resets no count: the
 * savepoint's count dump is below the final one for every key, and the final counts add up to every record
 * the source schedules. The latency logs hold one line per record over both parts of the run.
 */
class RescaleContinuityTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    /** The run's parameters at `parallelism`, the per-task rate chosen so that the source rate is 800 rec/s. */
    private static Params params(Path run, int parallelism, long startEpochMs) {
        return Params.fromArgs(new String[] {
            "--spacker.runtime", "5", "--spacker.rate.per_task", String.valueOf(800.0 / parallelism),
            "--spacker.parallelism", String.valueOf(parallelism),
            "--spacker.max_parallelism", "128", "--spacker.workload.n_keys", "1024",
            "--spacker.workload.per_key_size", "256", "--spacker.workload.state_access_ratio", "10",
            "--spacker.checkpoint.interval", "0", "--start-epoch-ms", String.valueOf(startEpochMs),
            "--output", run.toString()});
    }

    private static JobGraph graph(Params p) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MicroBenchmarkJob.build(env, p);
        return env.getStreamGraph().getJobGraph();
    }

    @Test
    void countsSurviveARescale(@TempDir Path run, @InjectClusterClient ClusterClient<?> client) throws Exception {
        long start = System.currentTimeMillis() + 1000;
        // spacker.rate.per_task is per stateful subtask: the second part lowers it to keep the source rate.
        Params first = params(run, 2, start);
        JobID id = client.submitJob(graph(first)).get();
        Thread.sleep(2500);
        String savepoint = null;
        for (int attempt = 0; savepoint == null; attempt++) {
            try {
                savepoint = client.stopWithSavepoint(id, false, run.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL).get();
            } catch (Exception e) {
                if (attempt >= 20) throw e; // tasks still deploying: try again shortly
                Thread.sleep(200);
            }
        }
        Params second = params(run, 3, start);
        JobGraph resumed = graph(second);
        resumed.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint));
        JobID id2 = client.submitJob(resumed).get();
        client.requestJobResult(id2).get();

        Path[] dumps;
        try (Stream<Path> s = Files.list(run.resolve("counts"))) {
            dumps = s.filter(d -> d.getFileName().toString().startsWith("savepoint-")).toArray(Path[]::new);
        }
        assertEquals(1, dumps.length, "one savepoint dump");
        Map<String, Long> before = readCounts(dumps[0], 2);
        Map<String, Long> after = readCounts(run.resolve("counts").resolve("final"), 3);
        long total = first.totalRecords();
        assertEquals(total, second.totalRecords(), "both parts schedule the same records");
        long beforeSum = before.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(beforeSum > 0 && beforeSum < total, "the savepoint fell inside the run: " + beforeSum + " of " + total);
        for (Map.Entry<String, Long> e : before.entrySet()) {
            Long n = after.get(e.getKey());
            assertNotNull(n, "key lost in the rescale: " + e.getKey());
            assertTrue(n >= e.getValue(), "count reset for " + e.getKey() + ": " + e.getValue() + " -> " + n);
        }
        assertEquals(total, after.values().stream().mapToLong(Long::longValue).sum(), "every record counted once");

        long lines = 0;
        for (int subtask = 0; subtask < 3; subtask++) {
            List<String> l = Files.readAllLines(run.resolve("latency").resolve(StatefulMap.NAME + "-" + subtask + ".csv"));
            assertEquals(LatencyWriter.HEADER, l.get(0));
            assertEquals(1, l.stream().filter(LatencyWriter.HEADER::equals).count(), "one header per file");
            lines += l.size() - 1;
        }
        assertEquals(total, lines, "one latency line per record over both parts");
    }

    /** key -> count over the `subtasks` files of one dump; a key in two files is an error. */
    private static Map<String, Long> readCounts(Path dir, int subtasks) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        for (int subtask = 0; subtask < subtasks; subtask++) {
            List<String> lines = Files.readAllLines(dir.resolve(StatefulMap.NAME + "-" + subtask + ".csv"), StandardCharsets.UTF_8);
            assertEquals(StatefulMapOperator.COUNTS_HEADER, lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                assertEquals(null, counts.put(f[0], Long.parseLong(f[2])), "key in two subtasks: " + line);
            }
        }
        return counts;
    }
}
