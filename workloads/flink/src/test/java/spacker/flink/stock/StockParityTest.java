package spacker.flink.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java source replays the orders the TypeScript one replays: stock-orders.csv (written by
 * workloads/src/stock/java-parity.test.ts) holds, per configuration, every order with its tape index and
 * scheduled offset; the generator's tape, the fast generator's first orders and the order file's as read here
 * must equal it field by field. A file line that does not parse is refused with its path and line number.
 */
class StockParityTest {
    private static List<String> linesOf(String config, OrderTape tape, int limit) {
        List<String> out = new ArrayList<>();
        for (int g = 0; g < Math.min(limit, tape.records.size()); g++) {
            Order o = tape.records.get(g);
            out.add(String.join(",", config, String.valueOf(g), String.valueOf(tape.offsetMs(g)), String.valueOf(o.orderNo), o.code,
                    String.valueOf(o.timestamp), String.valueOf(o.price), String.valueOf(o.executedVolume), String.valueOf(o.volume),
                    o.security, o.account, o.direction));
        }
        return out;
    }

    @Test
    void ordersEqualTheTypeScriptSource() throws Exception {
        List<String> expected = StockFixtures.lines("stock-orders.csv");
        List<String> actual = new ArrayList<>();
        actual.add(expected.get(0));
        actual.addAll(linesOf("generator", StockGenerator.tape(StockFixtures.GENERATOR, 80), Integer.MAX_VALUE));
        actual.addAll(linesOf("fast", StockGenerator.tape(StockFixtures.FAST, 20), 300));
        actual.addAll(linesOf("file", OrderFile.read(StockFixtures.resource("stock-orders-file.txt"), Integer.MAX_VALUE), Integer.MAX_VALUE));
        assertEquals(expected.size(), actual.size(), "line count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(StockFixtures.canonicalLine(expected.get(i)), StockFixtures.canonicalLine(actual.get(i)), "line " + (i + 1));
        }
    }

    @Test
    void theJobReplaysTheGeneratorForItsRuntime(@TempDir Path run) {
        StockParams p = StockParams.fromArgs(StockFixtures.args(run, 2, 0));
        assertEquals(80, p.slots());
        OrderTape tape = p.tape();
        assertEquals(80, tape.slots());
        assertTrue(tape.records.size() > 1000, tape.records.size() + " orders");
    }

    @Test
    void aMalformedLineIsRefusedWithItsFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("orders.txt");
        String good = Files.readAllLines(StockFixtures.resource("stock-orders-file.txt")).get(0);
        String bad = good.substring(0, good.lastIndexOf('|') + 1) + "Q";
        Files.writeString(file, good + "\nend\n" + good + "\n" + bad + "\nend\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrderFile.read(file, 10));
        assertTrue(e.getMessage().startsWith(file.toAbsolutePath() + ":4: direction \"Q\" is neither B nor S"), e.getMessage());
        // Only the slots within the runtime are read: the bad line lies beyond the first slot.
        assertEquals(1, OrderFile.read(file, 1).records.size());
    }
}
