package spacker.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the micro-benchmark for 3 s at parallelism 2 on a MiniCluster and reads what it wrote: latency logs
 * in the harness's format (header, one line per record, non-negative times, key groups of the subtask's
 * range) and the final per-key counts (every record counted once).
 */
class MicroBenchmarkJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @Test
    void writesLatencyLogsAndCounts(@TempDir Path run) throws Exception {
        Params p = Params.fromArgs(new String[] {
            "--spacker.runtime", "3", "--spacker.rate.per_task", "500", "--spacker.parallelism", "2",
            "--spacker.max_parallelism", "128", "--spacker.workload.n_keys", "1024",
            "--spacker.workload.per_key_size", "1024", "--spacker.workload.state_access_ratio", "10",
            "--spacker.checkpoint.interval", "500", "--start-delay-ms", "1000", "--output", run.toString()});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MicroBenchmarkJob.build(env, p);
        env.execute("micro-benchmark-test");

        long total = p.totalRecords();
        assertEquals(3000, total);
        long rows = 0;
        for (int subtask = 0; subtask < p.parallelism; subtask++) {
            KeyGroupRange range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(p.maxParallelism, p.parallelism, subtask);
            Path file = run.resolve("latency").resolve(StatefulMap.NAME + "-" + subtask + ".csv");
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertEquals(LatencyWriter.HEADER, lines.get(0), file.toString());
            assertTrue(lines.size() > 1, file + " has no records");
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                assertEquals(3, f.length, line);
                assertTrue(f[0].matches("-?\\d+\\.\\d{3}") && f[2].matches("-?\\d+\\.\\d{3}"), line);
                assertTrue(Double.parseDouble(f[0]) >= 0, "ts_ms < 0: " + line);
                assertTrue(Double.parseDouble(f[2]) >= 0, "latency_ms < 0: " + line);
                assertTrue(range.contains(Integer.parseInt(f[1])), "key group outside " + range + ": " + line);
            }
            rows += lines.size() - 1;
        }
        assertEquals(total, rows, "one latency line per record");

        Map<String, Long> counts = new HashMap<>();
        for (int subtask = 0; subtask < p.parallelism; subtask++) {
            Path file = run.resolve("counts").resolve("final").resolve(StatefulMap.NAME + "-" + subtask + ".csv");
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertEquals(StatefulMapOperator.COUNTS_HEADER, lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                assertEquals(KeyGroupRangeAssignment.assignToKeyGroup(f[0], p.maxParallelism), Integer.parseInt(f[1]), line);
                assertEquals(null, counts.put(f[0], Long.parseLong(f[2])), "key counted by two subtasks: " + line);
            }
        }
        assertEquals(total, counts.values().stream().mapToLong(Long::longValue).sum(), "records counted");
    }
}
