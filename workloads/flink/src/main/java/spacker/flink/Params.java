package spacker.flink;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import org.apache.flink.api.java.utils.ParameterTool;

/**
 * The job's parameters: `--key value` pairs. The workload keys carry the harness's configuration names
 * (experiments/src/config/keys-spacker.ts) and its defaults, so a run's resolved configuration can be passed
 * through unchanged; three further keys belong to the job itself (where it writes, when its clock starts).
 * An unknown key is an error that names it, so a misspelt key never silently falls back to a default.
 */
public final class Params implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Harness keys the micro-benchmark reads, with the harness's defaults. */
    static final Map<String, String> HARNESS_DEFAULTS = new LinkedHashMap<>();
    /** Keys of the Flink job alone (not in the harness schema). */
    static final Map<String, String> JOB_DEFAULTS = new LinkedHashMap<>();

    static {
        Params.putRunDefaults(HARNESS_DEFAULTS);
        HARNESS_DEFAULTS.put("spacker.rate.per_task", "5000");
        HARNESS_DEFAULTS.put("spacker.workload.n_keys", "32768");
        HARNESS_DEFAULTS.put("spacker.workload.per_key_size", "32768");
        HARNESS_DEFAULTS.put("spacker.workload.state_access_ratio", "2");
        HARNESS_DEFAULTS.put("spacker.workload.zipf_skew", "0");
        HARNESS_DEFAULTS.put("spacker.workload.busy_work_ms", "0");
        HARNESS_DEFAULTS.put("spacker.workload.preload", "false");
        // The run folder: latency/ and counts/ are written below it.
        JOB_DEFAULTS.put("output", "");
        // Epoch ms of the run's start (scheduled time 0); pass the same value when resuming from a savepoint.
        JOB_DEFAULTS.put("start-epoch-ms", "");
        // Without start-epoch-ms: the start is this long after the job is built (time to deploy the tasks).
        JOB_DEFAULTS.put("start-delay-ms", "5000");
    }

    public final int runtimeS;
    public final double perTaskRate;
    public final int parallelism;
    public final int sourceParallelism;
    public final int maxParallelism;
    public final long checkpointIntervalMs;
    public final long seed;
    public final int nKeys;
    public final int perKeySize;
    public final double stateAccessRatio;
    public final double zipfSkew;
    public final double busyWorkMs;
    public final String output;
    public final long startEpochMs;

    private Params(ParameterTool p) {
        runtimeS = intAtLeast(p, "spacker.runtime", 1);
        perTaskRate = number(p, "spacker.rate.per_task");
        if (!(perTaskRate > 0)) throw invalid("spacker.rate.per_task", p, "must be > 0");
        parallelism = intAtLeast(p, "spacker.parallelism", 1);
        sourceParallelism = intAtLeast(p, "spacker.source_parallelism", 1);
        maxParallelism = intAtLeast(p, "spacker.max_parallelism", 1);
        if (maxParallelism > 32768) throw invalid("spacker.max_parallelism", p, "must be <= 32768");
        if (parallelism > maxParallelism) throw invalid("spacker.parallelism", p, "must be <= spacker.max_parallelism");
        checkpointIntervalMs = intAtLeast(p, "spacker.checkpoint.interval", 0);
        seed = longOf(p, "spacker.seed");
        nKeys = intAtLeast(p, "spacker.workload.n_keys", 1);
        perKeySize = intAtLeast(p, "spacker.workload.per_key_size", 1);
        stateAccessRatio = number(p, "spacker.workload.state_access_ratio");
        if (!(stateAccessRatio >= 0 && stateAccessRatio <= 100)) throw invalid("spacker.workload.state_access_ratio", p, "must be in [0, 100]");
        zipfSkew = number(p, "spacker.workload.zipf_skew");
        if (!(zipfSkew >= 0)) throw invalid("spacker.workload.zipf_skew", p, "must be >= 0");
        busyWorkMs = number(p, "spacker.workload.busy_work_ms");
        if (!(busyWorkMs >= 0)) throw invalid("spacker.workload.busy_work_ms", p, "must be >= 0");
        String preload = p.get("spacker.workload.preload");
        if (!preload.equals("false") && !preload.equals("true")) throw invalid("spacker.workload.preload", p, "must be true or false");
        if (preload.equals("true")) {
            throw new IllegalArgumentException("spacker.workload.preload=true is not supported by the Flink job yet");
        }
        output = outputOf(p);
        startEpochMs = startEpochMsOf(p);
    }

    /** The harness's run keys every job reads, with the harness's defaults (put first, so listed first). */
    public static void putRunDefaults(Map<String, String> defaults) {
        defaults.put("spacker.runtime", "100");
        defaults.put("spacker.parallelism", "8");
        defaults.put("spacker.source_parallelism", "1");
        defaults.put("spacker.max_parallelism", "1024");
        defaults.put("spacker.checkpoint.interval", "1000");
        defaults.put("spacker.seed", "12345678");
    }

    /**
     * Parses `--key value` pairs.
     * @throws IllegalArgumentException naming the first unknown key, or a key whose value is malformed
     */
    public static Params fromArgs(String[] args) {
        return new Params(withDefaults(args, HARNESS_DEFAULTS));
    }

    /**
     * `args` over `harnessDefaults` and the job's own keys ({@link #JOB_DEFAULTS}), for this job and the others
     * of the module (each with its own harness keys).
     * @throws IllegalArgumentException naming the first key that is neither
     */
    public static ParameterTool withDefaults(String[] args, Map<String, String> harnessDefaults) {
        ParameterTool given = ParameterTool.fromArgs(args);
        TreeSet<String> unknown = new TreeSet<>(given.toMap().keySet());
        unknown.removeAll(harnessDefaults.keySet());
        unknown.removeAll(JOB_DEFAULTS.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key --" + unknown.first() + " (known: "
                    + String.join(", ", harnessDefaults.keySet()) + ", " + String.join(", ", JOB_DEFAULTS.keySet()) + ")");
        }
        Map<String, String> all = new LinkedHashMap<>(harnessDefaults);
        all.putAll(JOB_DEFAULTS);
        all.putAll(given.toMap());
        return ParameterTool.fromMap(all);
    }

    /** The run folder (`--output`, required). */
    public static String outputOf(ParameterTool p) {
        String output = p.get("output");
        if (output.isEmpty()) throw new IllegalArgumentException("missing --output <run folder> (latency/ and the job's other files are written there)");
        return output;
    }

    /** Epoch ms of scheduled time 0: `--start-epoch-ms`, or now + `--start-delay-ms`. */
    public static long startEpochMsOf(ParameterTool p) {
        String start = p.get("start-epoch-ms");
        return start.isEmpty() ? System.currentTimeMillis() + intAtLeast(p, "start-delay-ms", 0) : longOf(p, "start-epoch-ms");
    }

    /** Records the whole source emits: those scheduled strictly before `runtimeS` at the total rate. */
    public long totalRecords() {
        return Schedule.countBefore(perTaskRate * parallelism, runtimeS * 1000.0);
    }

    /** Records of source subtask `subtask`: an even share, the first `total % n` subtasks one more. */
    public long shareOf(int subtask) {
        long total = totalRecords();
        return total / sourceParallelism + (subtask < total % sourceParallelism ? 1 : 0);
    }

    /** Key groups in the access set, as the embedded source: round(max_parallelism * ratio / 100). */
    public int accessKeyGroups() {
        return (int) Math.round(maxParallelism * stateAccessRatio / 100);
    }

    static int intAtLeast(ParameterTool p, String key, long min) {
        long v = longOf(p, key);
        if (v < min || v > Integer.MAX_VALUE) throw invalid(key, p, "must be an integer >= " + min);
        return (int) v;
    }

    static long longOf(ParameterTool p, String key) {
        try {
            return Long.parseLong(p.get(key).trim());
        } catch (NumberFormatException e) {
            throw invalid(key, p, "must be an integer");
        }
    }

    static double number(ParameterTool p, String key) {
        try {
            return Double.parseDouble(p.get(key).trim());
        } catch (NumberFormatException e) {
            throw invalid(key, p, "must be a number");
        }
    }

    /** An integer from `min` to `max`. */
    public static long wholeIn(ParameterTool p, String key, long min, long max) {
        long v = longOf(p, key);
        if (v < min || v > max) throw invalid(key, p, "must be an integer from " + min + " to " + max);
        return v;
    }

    /** A number from `min` to `max`. */
    public static double numberIn(ParameterTool p, String key, double min, double max) {
        double v = number(p, key);
        if (!(v >= min && v <= max)) throw invalid(key, p, "must be a number from " + min + " to " + max);
        return v;
    }

    public static IllegalArgumentException invalid(String key, ParameterTool p, String why) {
        return new IllegalArgumentException("--" + key + " " + p.get(key) + ": " + why);
    }
}
