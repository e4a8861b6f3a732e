// Prints the key-group test vectors (engine/test/fixtures/keygroup-vectors.json) computed by Java itself:
// Java's own String/Long hashCode, Flink's murmur-based key group, operator index and key-group ranges.
// Run: java scripts/keygroup-vectors/KeyGroupVectors.java > engine/test/fixtures/keygroup-vectors.json
import java.util.ArrayList;
import java.util.List;

public class KeyGroupVectors {
    static final int[] MAX_PARALLELISMS = {128, 1024, 32768};
    static final int[][] ASSIGNMENTS = {{1024, 8}, {128, 3}, {32768, 16}, {1024, 1}, {7, 7}, {1000, 6}};

    /** One murmur3 (32-bit, seed 0) block of one int, length 4, finalizer; then made non-negative. */
    static int murmurHash(int code) {
        int k = code * 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k = k * 0x1b873593;
        int h = Integer.rotateLeft(k, 13);
        h = h * 5 + 0xe6546b64;
        h ^= 4;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        if (h >= 0) return h;
        return h == Integer.MIN_VALUE ? 0 : -h;
    }

    static int operatorIndex(int keyGroup, int maxParallelism, int parallelism) {
        return keyGroup * parallelism / maxParallelism;
    }

    static int rangeStart(int operatorIndex, int maxParallelism, int parallelism) {
        return (operatorIndex * maxParallelism + parallelism - 1) / parallelism;
    }

    static int rangeEnd(int operatorIndex, int maxParallelism, int parallelism) {
        return ((operatorIndex + 1) * maxParallelism - 1) / parallelism;
    }

    /** JSON string literal, ASCII only (everything outside 0x20..0x7e as a UTF-16 \\u escape). */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c >= 0x20 && c < 0x7f) b.append(c);
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.append('"').toString();
    }

    static String vector(String keyJson, int hashCode) {
        int murmur = murmurHash(hashCode);
        StringBuilder b = new StringBuilder();
        b.append("{\"key\": ").append(keyJson).append(", \"hashCode\": ").append(hashCode)
                .append(", \"murmur\": ").append(murmur).append(", \"keyGroup\": {");
        for (int i = 0; i < MAX_PARALLELISMS.length; i++) {
            int mp = MAX_PARALLELISMS[i];
            b.append(i == 0 ? "" : ", ").append('"').append(mp).append("\": ").append(murmur % mp);
        }
        return b.append("}}").toString();
    }

    static List<String> stringKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) keys.add("A" + i);
        keys.add("A32767");
        keys.add("");
        keys.add("\u043a\u043b\u044e\u0447"); // Cyrillic "key"
        keys.add("\u65e5\u672c"); // "Japan"
        keys.add("\ud83d\ude00"); // U+1F600 as a surrogate pair
        keys.add("caf\u00e9 \ud83d\udd11 \u00fcber");
        keys.add("\ud800"); // a lone high surrogate
        keys.add("a,b");
        keys.add("say \"hi\"");
        keys.add("\"");
        keys.add(",");
        keys.add("x,\"y\",z");
        keys.add("line1\nline2");
        keys.add(" padded ");
        keys.add("K698621yc"); // hashCode -2089875627: murmur mixes it to Integer.MIN_VALUE, so murmurHash is 0
        keys.add("The quick brown fox jumps over the lazy dog");
        keys.add("0123456789".repeat(30));
        keys.add("abcdefghijklmnopqrstuvwxyz".repeat(40));
        return keys;
    }

    static final long[] LONG_KEYS = {
        0L, 1L, -1L, 42L, 1L << 31, -(1L << 31) - 1, Integer.MAX_VALUE, Integer.MIN_VALUE, (1L << 32) - 1, 1L << 32,
        (1L << 40) + 7, (1L << 53) - 1, -((1L << 53) - 1), 2205091669L,
    };

    static final int[] INT_CODES = {0, 1, -1, 42, Integer.MAX_VALUE, Integer.MIN_VALUE, -2089875627, -1035494534};

    public static void main(String[] args) {
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"generator\": \"scripts/keygroup-vectors/KeyGroupVectors.java\",\n");
        out.append("  \"maxParallelisms\": [128, 1024, 32768],\n");

        out.append("  \"stringKeys\": [\n");
        List<String> keys = stringKeys();
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            out.append("    ").append(vector(json(k), k.hashCode())).append(i + 1 < keys.size() ? ",\n" : "\n");
        }
        out.append("  ],\n  \"longKeys\": [\n");
        for (int i = 0; i < LONG_KEYS.length; i++) {
            long k = LONG_KEYS[i];
            out.append("    ").append(vector(Long.toString(k), Long.hashCode(k)))
                    .append(i + 1 < LONG_KEYS.length ? ",\n" : "\n");
        }
        out.append("  ],\n  \"intCodes\": [\n");
        for (int i = 0; i < INT_CODES.length; i++) {
            out.append("    {\"code\": ").append(INT_CODES[i]).append(", \"murmur\": ").append(murmurHash(INT_CODES[i]))
                    .append(i + 1 < INT_CODES.length ? "},\n" : "}\n");
        }
        out.append("  ],\n  \"assignments\": [\n");
        for (int a = 0; a < ASSIGNMENTS.length; a++) {
            int mp = ASSIGNMENTS[a][0];
            int p = ASSIGNMENTS[a][1];
            out.append("    {\"maxParallelism\": ").append(mp).append(", \"parallelism\": ").append(p);
            out.append(",\n     \"ranges\": [");
            for (int i = 0; i < p; i++) {
                out.append(i == 0 ? "" : ", ").append('[').append(rangeStart(i, mp, p)).append(", ")
                        .append(rangeEnd(i, mp, p)).append(']');
            }
            out.append("],\n     \"operatorIndex\": [");
            for (int kg = 0; kg < mp; kg++) out.append(kg == 0 ? "" : ",").append(operatorIndex(kg, mp, p));
            out.append("]}").append(a + 1 < ASSIGNMENTS.length ? ",\n" : "\n");
        }
        out.append("  ]\n}\n");
        System.out.print(out);
    }
}
