package spacker.flink.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import spacker.flink.LatencyWriter;
import spacker.flink.StockJob;

/**
 * The Stock job on a MiniCluster: its trades and final books equal the embedded order book's for the same
 * orders (stock-expected-*.csv, written by workloads/src/stock/java-parity.test.ts), at parallelism 2 and
 * across a rescale through a savepoint (stop at 2, resume at 3); one latency line per order, key groups in
 * the subtask's range; each book dumped once, by the subtask owning its key group.
 */
class StockJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static JobGraph graph(StockParams p) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        StockJob.build(env, p);
        return env.getStreamGraph().getJobGraph();
    }

    @Test
    void ordersAndBooksArePojos() {
        assertTrue(TypeInformation.of(Order.class) instanceof PojoTypeInfo, "Order");
        assertTrue(TypeInformation.of(OrderBook.class) instanceof PojoTypeInfo, "OrderBook");
    }

    @Test
    void tradesAndBooksEqualTheEmbeddedOrderBook(@TempDir Path run, @InjectClusterClient ClusterClient<?> client) throws Exception {
        StockParams p = StockParams.fromArgs(StockFixtures.args(run, 2, System.currentTimeMillis() + 1000));
        client.requestJobResult(client.submitJob(graph(p)).get()).get();
        assertResults(run, p, 2);
    }

    @Test
    void resultsSurviveARescaleThroughASavepoint(@TempDir Path run, @InjectClusterClient ClusterClient<?> client) throws Exception {
        long start = System.currentTimeMillis() + 1000;
        JobID id = client.submitJob(graph(StockParams.fromArgs(StockFixtures.args(run, 2, start)))).get();
        Thread.sleep(2800);
        String savepoint = null;
        for (int attempt = 0; savepoint == null; attempt++) {
            try {
                savepoint = client.stopWithSavepoint(id, false, run.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL).get();
            } catch (Exception e) {
                if (attempt >= 20) throw e; // tasks still deploying: try again shortly
                Thread.sleep(200);
            }
        }
        assertFalse(Files.exists(run.resolve("results").resolve("books").resolve("final")), "a stop is not the end of the input");
        StockParams second = StockParams.fromArgs(StockFixtures.args(run, 3, start));
        JobGraph resumed = graph(second);
        resumed.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint));
        client.requestJobResult(client.submitJob(resumed).get()).get();
        assertResults(run, second, 3);

        Path[] dumps;
        try (Stream<Path> s = Files.list(run.resolve("results").resolve("books"))) {
            dumps = s.filter(d -> d.getFileName().toString().startsWith("savepoint-")).toArray(Path[]::new);
        }
        assertEquals(1, dumps.length, "one savepoint dump");
        long before = 0;
        for (String line : StockFixtures.readAll(dumps[0], OrderBook.HEADER)) before += Long.parseLong(line.split(",")[2]);
        long total = second.tape().records.size();
        assertTrue(before > 0 && before < total, "the savepoint fell inside the run: " + before + " of " + total + " orders");
    }

    /** Trades and final books equal the fixtures; latency logs hold one line per order. */
    private static void assertResults(Path run, StockParams p, int subtasks) throws Exception {
        Path results = run.resolve("results");
        assertEquals(StockFixtures.expected("stock-expected-trades.csv"), StockFixtures.readAll(results.resolve("trades"), Trade.HEADER), "trades");
        List<String> books = StockFixtures.readAll(results.resolve("books").resolve("final"), OrderBook.HEADER);
        assertEquals(StockFixtures.expected("stock-expected-books.csv"), books, "final books");
        for (int subtask = 0; subtask < subtasks; subtask++) {
            KeyGroupRange range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(p.maxParallelism, subtasks, subtask);
            Path dump = results.resolve("books").resolve("final").resolve(MatchMaker.NAME + "-" + subtask + ".csv");
            List<String> dumped = Files.readAllLines(dump, StandardCharsets.UTF_8);
            for (String line : dumped.subList(1, dumped.size())) {
                assertTrue(range.contains(Integer.parseInt(line.split(",")[1])), dump + ": key group outside " + range + ": " + line);
            }
        }
        long lines = 0;
        for (int subtask = 0; subtask < subtasks; subtask++) {
            List<String> l = Files.readAllLines(run.resolve("latency").resolve(MatchMaker.NAME + "-" + subtask + ".csv"));
            assertEquals(LatencyWriter.HEADER, l.get(0));
            lines += l.size() - 1;
        }
        assertEquals(p.tape().records.size(), lines, "one latency line per order");
    }
}
