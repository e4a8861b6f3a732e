package spacker.flink.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Program arguments: harness keys with the harness's defaults and ranges, unknown keys rejected by name. */
class StockParamsTest {
    @Test
    void defaultsAreTheHarnessDefaults() {
        StockParams p = StockParams.fromArgs(new String[] {"--output", "/tmp/x"});
        assertEquals(1024, p.maxParallelism);
        assertEquals(1, p.sourceParallelism);
        assertEquals(new StockGenerator.Config(12345678, 100, 500, 2000, 50_000, 1, 0.8, 0.15), p.generator);
        assertEquals("", p.file);
        assertEquals(2000, p.slots());
    }

    @Test
    void harnessKeysAreRead() {
        StockParams p = StockParams.fromArgs(new String[] {"--spacker.stock.rate", "80.5", "--spacker.parallelism", "4",
            "--spacker.stock.file", "/data/orders.txt", "--spacker.runtime", "20000", "--output", "/tmp/x", "--start-epoch-ms", "1000"});
        assertEquals(80.5, p.generator.rate());
        assertEquals(4, p.parallelism);
        assertEquals("/data/orders.txt", p.file);
        assertEquals(1000, p.startEpochMs);
    }

    @Test
    void badKeysAndValuesAreNamed() {
        String[][] cases = {
            {"--spacker.stock.rates", "10"}, {"--spacker.stock.cancel_ratio", "0.95"}, {"--spacker.stock.securities", "1.5"},
            {"--spacker.runtime", "20000"}, {"--spacker.parallelism", "2000"},
        };
        String[] names = {"spacker.stock.rates", "spacker.stock.cancel_ratio", "spacker.stock.securities", "spacker.runtime", "spacker.parallelism"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = {cases[i][0], cases[i][1], "--output", "/tmp/x"};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StockParams.fromArgs(args));
            assertTrue(e.getMessage().contains(names[i]), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> StockParams.fromArgs(new String[] {}));
    }
}
