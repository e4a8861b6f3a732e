package spacker.flink;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.java.utils.ParameterTool;

import spacker.flink.nexmark.GeneratorConfig;

/**
 * The Nexmark job's parameters: `--key value` pairs with the harness's names and defaults
 * (experiments/src/config/keys-nexmark.ts, keys-spacker.ts), derived as experiments/src/jobs/nexmark.ts
 * derives them: events/s = spacker.rate.per_task x spacker.parallelism, windows x spacker.time_scale (q5's
 * size a whole number of scaled slides). spacker.parallelism is the rate's basis only; the stateful
 * operators run at the submission's parallelism (so a resubmission at another parallelism keeps the rate
 * bit for bit). Plus the job keys of {@link Params#JOB_DEFAULTS}. Unknown keys are errors naming them.
 */
public final class NexmarkParams implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The queries the Flink job runs. */
    public static final List<String> QUERIES = List.of("q5", "q8");
    static final Map<String, String> HARNESS_DEFAULTS = new LinkedHashMap<>();

    static {
        Params.putRunDefaults(HARNESS_DEFAULTS);
        HARNESS_DEFAULTS.put("spacker.rate.per_task", "5000");
        HARNESS_DEFAULTS.put("spacker.time_scale", "1");
        HARNESS_DEFAULTS.put("spacker.nexmark.query", "q5");
        HARNESS_DEFAULTS.put("spacker.nexmark.window_size_ms", "100000");
        HARNESS_DEFAULTS.put("spacker.nexmark.window_slide_ms", "10000");
        HARNESS_DEFAULTS.put("spacker.nexmark.watermark_interval_ms", "50");
        HARNESS_DEFAULTS.put("spacker.nexmark.generate_all", "false");
        for (String[] k : GeneratorConfig.KEYS) HARNESS_DEFAULTS.put(k[0], k[1]);
    }

    public final int runtimeS;
    public final double perTaskRate;
    /** The parallelism the rate per task is of (not the operators' parallelism). */
    public final int parallelism;
    public final int sourceParallelism;
    public final int maxParallelism;
    public final long checkpointIntervalMs;
    public final long seed;
    public final String query;
    /** Q5: sliding window size and slide (size a multiple of the slide); Q8: tumbling window size. Scaled. */
    public final long windowSizeMs;
    public final long windowSlideMs;
    public final long watermarkIntervalMs;
    /** Generate every event, also those the query does not read (Flink's Nexmark source); else skip them. */
    public final boolean generateAll;
    public final GeneratorConfig generator;
    public final String output;
    public final long startEpochMs;

    private NexmarkParams(ParameterTool p) {
        runtimeS = Params.intAtLeast(p, "spacker.runtime", 1);
        perTaskRate = Params.number(p, "spacker.rate.per_task");
        if (!(perTaskRate > 0)) throw Params.invalid("spacker.rate.per_task", p, "must be > 0");
        parallelism = Params.intAtLeast(p, "spacker.parallelism", 1);
        sourceParallelism = Params.intAtLeast(p, "spacker.source_parallelism", 1);
        maxParallelism = Params.intAtLeast(p, "spacker.max_parallelism", 1);
        if (maxParallelism > 32768) throw Params.invalid("spacker.max_parallelism", p, "must be <= 32768");
        checkpointIntervalMs = Params.intAtLeast(p, "spacker.checkpoint.interval", 0);
        seed = Params.longOf(p, "spacker.seed");
        double scale = Params.number(p, "spacker.time_scale");
        if (!(scale > 0 && scale <= 1)) throw Params.invalid("spacker.time_scale", p, "must be in (0, 1]");
        query = p.get("spacker.nexmark.query").trim();
        if (!QUERIES.contains(query)) {
            throw Params.invalid("spacker.nexmark.query", p, "the Flink job runs " + String.join(", ", QUERIES)
                    + " (the others run on the embedded engine: spacker.engine=embedded)");
        }
        long size = Params.intAtLeast(p, "spacker.nexmark.window_size_ms", 1);
        long slide = Params.intAtLeast(p, "spacker.nexmark.window_slide_ms", 1);
        if (query.equals("q5") && size % slide != 0) {
            throw Params.invalid("spacker.nexmark.window_size_ms", p, "must be a multiple of spacker.nexmark.window_slide_ms (" + slide + ") for q5");
        }
        windowSlideMs = scaled(slide, scale);
        windowSizeMs = query.equals("q5") ? windowSlideMs * (size / slide) : scaled(size, scale);
        watermarkIntervalMs = Params.intAtLeast(p, "spacker.nexmark.watermark_interval_ms", 1);
        String all = p.get("spacker.nexmark.generate_all").trim();
        if (!all.equals("true") && !all.equals("false")) throw Params.invalid("spacker.nexmark.generate_all", p, "must be true or false");
        generateAll = all.equals("true");
        int[] counts = new int[GeneratorConfig.KEYS.length];
        for (int i = 0; i < counts.length; i++) counts[i] = Params.intAtLeast(p, GeneratorConfig.KEYS[i][0], 0);
        generator = new GeneratorConfig(eventsPerSec(), seed, counts);
        output = Params.outputOf(p);
        startEpochMs = Params.startEpochMsOf(p);
    }

    /** Parses `--key value` pairs; throws IllegalArgumentException naming the first unknown or malformed key. */
    public static NexmarkParams fromArgs(String[] args) {
        return new NexmarkParams(Params.withDefaults(args, HARNESS_DEFAULTS));
    }

    /** A window key scaled by spacker.time_scale, at least 1 ms (as the harness rounds it). */
    private static long scaled(long ms, double scale) {
        return Math.max(1, Math.round(ms * scale));
    }

    /** Events per second of the whole stream (every kind, also those the query skips). */
    public double eventsPerSec() {
        return perTaskRate * parallelism;
    }

    /** Events of the whole run: those scheduled strictly before spacker.runtime. */
    public long totalEvents() {
        return Schedule.countBefore(eventsPerSec(), runtimeS * 1000.0);
    }

    /** Events of source subtask `subtask`: an even share, the first `total % n` subtasks one more. */
    public long shareOf(int subtask) {
        long total = totalEvents();
        return total / sourceParallelism + (subtask < total % sourceParallelism ? 1 : 0);
    }
}
