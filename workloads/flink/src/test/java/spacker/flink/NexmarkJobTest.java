package spacker.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

import spacker.flink.nexmark.MaxCount;
import spacker.flink.nexmark.NewUsersJoin;
import spacker.flink.nexmark.NexmarkGenerator;

/**
 * Q5 and Q8 on a MiniCluster (4 s at 1000 events/s from two source subtasks, parallelism 2) write the results
 * the TypeScript batch check computes for the same events (nexmark-<query>-expected.csv, written by
 * workloads/src/nexmark/java-parity.test.ts), and one latency line per event the query reads; Q5 stopped with
 * a savepoint at parallelism 2 and resumed at 3 still writes exactly those results, none twice.
 */
class NexmarkJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    /** The run of java-parity.test.ts's jobTestParams(query). */
    private static NexmarkParams params(Path run, String query, long startEpochMs) {
        List<String> args = new ArrayList<>(List.of("--spacker.nexmark.query", query, "--spacker.runtime", "4",
            "--spacker.rate.per_task", "500", "--spacker.parallelism", "2", "--spacker.source_parallelism", "2",
            "--spacker.max_parallelism", "128", "--spacker.seed", "42", "--spacker.nexmark.window_size_ms", "1000",
            "--spacker.nexmark.window_slide_ms", "250", "--spacker.checkpoint.interval", "0",
            "--start-epoch-ms", String.valueOf(startEpochMs), "--output", run.toString()));
        if (query.equals("q8")) args.addAll(List.of("--spacker.nexmark.active_people", "10"));
        return NexmarkParams.fromArgs(args.toArray(String[]::new));
    }

    private static JobGraph graph(NexmarkParams p, int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        NexmarkJob.build(env, p);
        return env.getStreamGraph().getJobGraph();
    }

    /** The result lines of every results/ file, without the deployment column, sorted. */
    private static List<String> results(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(run.resolve("results"))) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                assertTrue(lines.get(0).startsWith("deployment,"), f + ": " + lines.get(0));
                for (String l : lines.subList(1, lines.size())) out.add(l.substring(l.indexOf(',') + 1));
            }
        }
        Collections.sort(out);
        return out;
    }

    private static List<String> expected(String query) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(NexmarkJobTest.class.getResource("/nexmark-" + query + "-expected.csv").toURI()));
        assertEquals(query.equals("q5") ? MaxCount.FIELDS : NewUsersJoin.FIELDS, lines.get(0));
        return lines.subList(1, lines.size());
    }

    /** Latency lines over every latency file of `operator` (one header each). */
    private static long latencyLines(Path run, String operator) throws IOException {
        long n = 0;
        try (Stream<Path> files = Files.list(run.resolve("latency"))) {
            for (Path f : files.toList()) {
                assertTrue(f.getFileName().toString().startsWith(operator + "-"), "latency file of another operator: " + f);
                List<String> lines = Files.readAllLines(f);
                assertEquals(1, lines.stream().filter(LatencyWriter.HEADER::equals).count(), "one header in " + f);
                n += lines.size() - 1;
            }
        }
        return n;
    }

    /** Events of the run of the kinds the query reads. */
    private static long readEvents(NexmarkParams p) {
        NexmarkGenerator g = new NexmarkGenerator(p.generator);
        long n = 0;
        for (long i = 0; i < p.totalEvents(); i++) {
            int kind = g.kindOf(i);
            if (p.query.equals("q5") ? kind == 2 : kind != 2) n++;
        }
        return n;
    }

    private void runsToTheExpectedResults(Path run, ClusterClient<?> client, String query) throws Exception {
        NexmarkParams p = params(run, query, System.currentTimeMillis() + 1000);
        client.requestJobResult(client.submitJob(graph(p, 2)).get()).get();
        assertEquals(expected(query), results(run));
        assertEquals(readEvents(p), latencyLines(run, NexmarkJob.operatorOf(query)), "one latency line per event read");
    }

    @Test
    void q5WritesTheBatchResults(@TempDir Path run, @InjectClusterClient ClusterClient<?> client) throws Exception {
        runsToTheExpectedResults(run, client, "q5");
    }

    @Test
    void q8WritesTheBatchResults(@TempDir Path run, @InjectClusterClient ClusterClient<?> client) throws Exception {
        runsToTheExpectedResults(run, client, "q8");
    }

    @Test
    void q5ResultsSurviveASavepointRescale(@TempDir Path run, @InjectClusterClient ClusterClient<?> client) throws Exception {
        NexmarkParams p = params(run, "q5", System.currentTimeMillis() + 1000);
        JobID id = client.submitJob(graph(p, 2)).get();
        Thread.sleep(3000);
        String savepoint = null;
        for (int attempt = 0; savepoint == null; attempt++) {
            try {
                savepoint = client.stopWithSavepoint(id, false, run.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL).get();
            } catch (Exception e) {
                if (attempt >= 20) throw e; // tasks still deploying: try again shortly
                Thread.sleep(200);
            }
        }
        List<String> before = results(run);
        assertTrue(!before.isEmpty() && before.size() < expected("q5").size(), "the savepoint fell inside the run: " + before.size() + " results before it");
        JobGraph resumed = graph(p, 3);
        resumed.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint));
        client.requestJobResult(client.submitJob(resumed).get()).get();
        assertEquals(expected("q5"), results(run), "results after a rescale 2 -> 3 (each once)");
        assertEquals(readEvents(p), latencyLines(run, "window"), "one latency line per bid over both parts");
        assertTrue(Files.exists(run.resolve("latency").resolve("window-2.csv")), "the third subtask ran");
    }
}
