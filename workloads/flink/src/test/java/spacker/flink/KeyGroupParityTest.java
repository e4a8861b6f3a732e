package spacker.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.MathUtils;
import org.junit.jupiter.api.Test;

/**
 * Flink's KeyGroupRangeAssignment agrees with the vectors the embedded engine is tested against
 * (engine/test/fixtures/keygroup-vectors.json): same key group for every key, same operator ranges.
 */
class KeyGroupParityTest {
    static File repoFile(String path) {
        return new File(System.getProperty("spacker.repo", "../.."), path);
    }

    private static final JsonNode VECTORS;

    static {
        try {
            VECTORS = new ObjectMapper().readTree(repoFile("engine/test/fixtures/keygroup-vectors.json"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void stringKeysGetTheEngineKeyGroups() {
        int checked = 0;
        for (JsonNode v : VECTORS.get("stringKeys")) {
            String key = v.get("key").asText();
            assertEquals(v.get("hashCode").asInt(), key.hashCode(), key);
            assertEquals(v.get("murmur").asInt(), MathUtils.murmurHash(key.hashCode()), key);
            for (JsonNode mp : VECTORS.get("maxParallelisms")) {
                int expected = v.get("keyGroup").get(mp.asText()).asInt();
                assertEquals(expected, KeyGroupRangeAssignment.assignToKeyGroup(key, mp.asInt()), key + " @ " + mp);
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    @Test
    void longKeysGetTheEngineKeyGroups() {
        int checked = 0;
        for (JsonNode v : VECTORS.get("longKeys")) {
            Long key = v.get("key").asLong();
            for (JsonNode mp : VECTORS.get("maxParallelisms")) {
                int expected = v.get("keyGroup").get(mp.asText()).asInt();
                assertEquals(expected, KeyGroupRangeAssignment.assignToKeyGroup(key, mp.asInt()), key + " @ " + mp);
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    @Test
    void operatorRangesAreTheEngineRanges() {
        for (JsonNode a : VECTORS.get("assignments")) {
            int mp = a.get("maxParallelism").asInt();
            int p = a.get("parallelism").asInt();
            JsonNode ranges = a.get("ranges");
            for (int op = 0; op < p; op++) {
                KeyGroupRange r = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(mp, p, op);
                assertEquals(ranges.get(op).get(0).asInt(), r.getStartKeyGroup(), "start of " + op);
                assertEquals(ranges.get(op).get(1).asInt(), r.getEndKeyGroup(), "end of " + op);
            }
            JsonNode owners = a.get("operatorIndex");
            for (int kg = 0; kg < owners.size(); kg++) {
                assertEquals(owners.get(kg).asInt(), KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(mp, p, kg));
            }
        }
    }
}
