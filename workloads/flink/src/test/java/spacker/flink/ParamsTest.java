package spacker.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Program arguments: harness keys with the harness's defaults, unknown keys rejected by name. */
class ParamsTest {
    @Test
    void defaultsAreTheHarnessDefaults() {
        Params p = Params.fromArgs(new String[] {"--output", "/tmp/x"});
        assertEquals(32768, p.nKeys);
        assertEquals(1024, p.maxParallelism);
        assertEquals(5000, p.perTaskRate);
        assertEquals(12345678, p.seed);
        assertEquals(20, p.accessKeyGroups()); // round(1024 * 2 / 100) = round(20.48)
    }

    @Test
    void harnessKeysAreRead() {
        Params p = Params.fromArgs(new String[] {"--spacker.workload.n_keys", "1024", "--spacker.parallelism", "4",
            "--spacker.workload.zipf_skew", "1.5", "--output", "/tmp/x", "--start-epoch-ms", "1000"});
        assertEquals(1024, p.nKeys);
        assertEquals(4, p.parallelism);
        assertEquals(1.5, p.zipfSkew);
        assertEquals(1000, p.startEpochMs);
    }

    @Test
    void unknownKeysAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Params.fromArgs(new String[] {"--spacker.workload.nkeys", "10", "--output", "/tmp/x"}));
        assertTrue(e.getMessage().contains("spacker.workload.nkeys"), e.getMessage());
    }

    @Test
    void malformedValuesNameTheirKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Params.fromArgs(new String[] {"--spacker.parallelism", "two", "--output", "/tmp/x"}));
        assertTrue(e.getMessage().contains("spacker.parallelism"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Params.fromArgs(new String[] {}));
    }
}
