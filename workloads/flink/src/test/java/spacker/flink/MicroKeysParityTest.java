package spacker.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

/**
 * The Java source emits the records the TypeScript micro-benchmark source emits: the fixture
 * micro-keys-seed42.csv is written by workloads/src/micro-benchmark/java-parity.test.ts (same configuration as
 * here); every line (key, key group, access flag, scheduled offset) must match.
 */
class MicroKeysParityTest {
    @Test
    void firstRecordsEqualTheTypeScriptSource() throws Exception {
        Params p = Params.fromArgs(new String[] {
            "--spacker.seed", "42", "--spacker.workload.n_keys", "1024", "--spacker.max_parallelism", "128",
            "--spacker.workload.zipf_skew", "0.8", "--spacker.workload.state_access_ratio", "10",
            "--spacker.rate.per_task", "250", "--spacker.parallelism", "2", "--spacker.source_parallelism", "2",
            "--output", "unused"});
        KeySpace keys = new KeySpace(p.nKeys, p.maxParallelism);
        List<String> lines = new ArrayList<>();
        lines.add("subtask,index,offset_ms,key,key_group,access");
        double rate = p.perTaskRate * p.parallelism / p.sourceParallelism;
        for (int subtask = 0; subtask < p.sourceParallelism; subtask++) {
            MicroKeys gen = MicroKeys.forSubtask(p, keys, subtask);
            for (long i = 0; i < 1000; i++) {
                double offset = Schedule.offsetMs(i, rate);
                gen.next(i, offset);
                StringBuilder b = new StringBuilder().append(subtask).append(',').append(i).append(',');
                LatencyWriter.appendFixed3(b, offset).append(',').append(gen.key).append(',')
                        .append(KeyGroupRangeAssignment.assignToKeyGroup(gen.key, p.maxParallelism)).append(',')
                        .append(gen.access ? 1 : 0);
                lines.add(b.toString());
            }
        }
        Path fixture = Path.of(getClass().getResource("/micro-keys-seed42.csv").toURI());
        List<String> expected = Files.readAllLines(fixture, StandardCharsets.UTF_8);
        assertEquals(expected.size(), lines.size(), "line count");
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), lines.get(i), "line " + (i + 1));
    }

    @Test
    void recordCountsFollowTheEmbeddedSchedule() {
        // 3 s at 500 rec/s in total: records 0..1499 are scheduled before 3000 ms.
        assertEquals(1500, Schedule.countBefore(500, 3000));
        // A rate that does not divide evenly: i * 1000 / 333 < 1000 for i = 0..333.
        assertEquals(333, Schedule.countBefore(333, 1000));
        assertEquals(334, Schedule.countBefore(333.5, 1000));
    }
}
