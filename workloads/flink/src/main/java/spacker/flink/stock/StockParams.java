package spacker.flink.stock;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.flink.api.java.utils.ParameterTool;

import spacker.flink.Params;

/**
 * The Stock job's parameters: `--key value` pairs with the harness's configuration names and defaults
 * (experiments/src/config/keys-spacker.ts, keys-stock.ts) and the generator's ranges (generator.ts,
 * GENERATOR_RANGES), plus the job's own `output`, `start-epoch-ms` and `start-delay-ms`
 * ({@link Params#withDefaults}). An unknown key or a value out of range is an error naming the key.
 */
public final class StockParams implements Serializable {
    private static final long serialVersionUID = 1L;

    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        Params.putRunDefaults(DEFAULTS);
        DEFAULTS.put("spacker.stock.file", "");
        DEFAULTS.put("spacker.stock.rate", "500");
        DEFAULTS.put("spacker.stock.securities", "2000");
        DEFAULTS.put("spacker.stock.accounts", "50000");
        DEFAULTS.put("spacker.stock.security_skew", "1");
        DEFAULTS.put("spacker.stock.account_skew", "0.8");
        DEFAULTS.put("spacker.stock.cancel_ratio", "0.15");
    }

    public final int runtimeS;
    public final int parallelism;
    public final int sourceParallelism;
    public final int maxParallelism;
    public final long checkpointIntervalMs;
    /** The order file to replay; empty = the generator. */
    public final String file;
    /** The generator's parameters (its duration is the runtime). */
    public final StockGenerator.Config generator;
    public final String output;
    public final long startEpochMs;

    private StockParams(ParameterTool p) {
        runtimeS = (int) whole(p, "spacker.runtime", 1, Integer.MAX_VALUE);
        parallelism = (int) whole(p, "spacker.parallelism", 1, 32768);
        sourceParallelism = (int) whole(p, "spacker.source_parallelism", 1, 32768);
        maxParallelism = (int) whole(p, "spacker.max_parallelism", 1, 32768);
        if (parallelism > maxParallelism) throw invalid(p, "spacker.parallelism", "must be <= spacker.max_parallelism");
        checkpointIntervalMs = whole(p, "spacker.checkpoint.interval", 0, Long.MAX_VALUE);
        file = p.get("spacker.stock.file").trim();
        long seed = whole(p, "spacker.seed", -(1L << 48), 1L << 48);
        if (file.isEmpty() && runtimeS > StockGenerator.SESSION_S) {
            throw invalid(p, "spacker.runtime", "at most " + StockGenerator.SESSION_S + " s (one trading session) with the stock generator");
        }
        generator = new StockGenerator.Config(seed, runtimeS, real(p, "spacker.stock.rate", 0.001, 100_000),
                (int) whole(p, "spacker.stock.securities", 1, 100_000), (int) whole(p, "spacker.stock.accounts", 1, 1_000_000),
                real(p, "spacker.stock.security_skew", 0, 3), real(p, "spacker.stock.account_skew", 0, 3),
                real(p, "spacker.stock.cancel_ratio", 0, 0.9));
        output = Params.outputOf(p);
        startEpochMs = Params.startEpochMsOf(p);
    }

    /** Parses `--key value` pairs. @throws IllegalArgumentException naming an unknown key or a malformed value */
    public static StockParams fromArgs(String[] args) {
        return new StockParams(Params.withDefaults(args, DEFAULTS));
    }

    /** Slots replayed: those scheduled before the runtime. */
    public int slots() {
        return (int) Math.ceil(runtimeS * 1000.0 / OrderTape.SLOT_MS);
    }

    /** The orders the job replays: the file's first slots, or the generated ones. */
    public OrderTape tape() {
        return file.isEmpty() ? StockGenerator.tape(generator, slots()) : OrderFile.read(Path.of(file), slots());
    }

    private static long whole(ParameterTool p, String key, long min, long max) {
        return Params.wholeIn(p, key, min, max);
    }

    private static double real(ParameterTool p, String key, double min, double max) {
        return Params.numberIn(p, key, min, max);
    }

    private static IllegalArgumentException invalid(ParameterTool p, String key, String why) {
        return Params.invalid(key, p, why);
    }
}
