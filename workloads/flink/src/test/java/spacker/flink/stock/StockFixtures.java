package spacker.flink.stock;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fixtures workloads/src/stock/java-parity.test.ts writes (the TypeScript generator's and order book's
 * output), the configuration they are for, and lines in canonical form: every number as the exact decimal
 * of its double, so `100.0` (Java) and `100` (JavaScript) compare equal.
 */
final class StockFixtures {
    private StockFixtures() {}

    /** PARITY.generator of java-parity.test.ts. */
    static final StockGenerator.Config GENERATOR = new StockGenerator.Config(7, 4, 150, 20, 200, 1, 0.8, 0.15);
    /** PARITY.fast: its first 300 orders (20 slots cover them). */
    static final StockGenerator.Config FAST = new StockGenerator.Config(11, 60, 3000, 2000, 50_000, 1, 0.8, 0.15);
    static final int MAX_PARALLELISM = 128;

    /** The job's arguments for GENERATOR's configuration. */
    static String[] args(Path run, int parallelism, long startEpochMs) {
        return new String[] {
            "--spacker.runtime", "4", "--spacker.seed", "7", "--spacker.stock.rate", "150",
            "--spacker.stock.securities", "20", "--spacker.stock.accounts", "200",
            "--spacker.parallelism", String.valueOf(parallelism), "--spacker.max_parallelism", String.valueOf(MAX_PARALLELISM),
            "--spacker.checkpoint.interval", "0", "--start-epoch-ms", String.valueOf(startEpochMs), "--output", run.toString()};
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(StockFixtures.class.getResource("/" + name).toURI());
    }

    static List<String> lines(String name) throws IOException, URISyntaxException {
        return Files.readAllLines(resource(name), StandardCharsets.UTF_8);
    }

    /** A number's canonical text; anything else as it is. */
    static String canonical(String field) {
        if (!field.matches("-?\\d+(\\.\\d+)?(E-?\\d+)?")) return field;
        return BigDecimal.valueOf(Double.parseDouble(field)).stripTrailingZeros().toPlainString();
    }

    /** A CSV line with every field (and every `:`/space-separated part of it) canonical. */
    static String canonicalLine(String line) {
        StringBuilder b = new StringBuilder();
        for (String part : line.split("(?<=[,: ])|(?=[,: ])")) b.append(canonical(part));
        return b.toString();
    }

    /** The data lines (header dropped) of every `.csv` file in `dir`, canonical and sorted. */
    static List<String> readAll(Path dir, String header) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                List<String> l = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (!l.get(0).equals(header)) throw new AssertionError(f + ": header " + l.get(0));
                if (l.stream().filter(header::equals).count() != 1) throw new AssertionError(f + ": more than one header");
                for (String s : l.subList(1, l.size())) out.add(canonicalLine(s));
            }
        }
        out.sort(null);
        return out;
    }

    /** A fixture's data lines, canonical and sorted. */
    static List<String> expected(String name) throws IOException, URISyntaxException {
        List<String> l = lines(name);
        List<String> out = new ArrayList<>(l.subList(1, l.size()).stream().map(StockFixtures::canonicalLine).toList());
        out.sort(null);
        return out;
    }
}
