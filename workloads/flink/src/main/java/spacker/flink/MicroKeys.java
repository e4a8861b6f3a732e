package spacker.flink;

import java.util.Random;

/**
 * What one source subtask emits, record by record (workloads/src/micro-benchmark/micro-source.ts): a key
 * group by zipf, the `(index mod size)`-th key of that group, and an access flag = "the key group is in the
 * access set", a set of key groups redrawn at every second of scheduled time. Pure and deterministic for its
 * seeds, so the tests can compare it with the TypeScript source; the Flink source only adds the clock.
 */
public final class MicroKeys {
    private final KeySpace keys;
    private final FastZipf zipf;
    private final Random accessRandom;
    private final int accessKeyGroups;
    /** Per entry of `keys.keyGroups`: whether it is in the current access set. */
    private final boolean[] inAccessSet;
    /** The permutation the access set is drawn from (kept between draws, as the TypeScript source does). */
    private final int[] order;
    private long second = -1;

    /** The last record's key and access flag. */
    public String key;
    public boolean access;

    /**
     * @param seed the zipf seed (the embedded source uses spacker.seed + subtask)
     * @param accessSeed the access-set seed (123456789 + subtask there)
     */
    public MicroKeys(KeySpace keys, double zipfSkew, int accessKeyGroups, long seed, long accessSeed) {
        this.keys = keys;
        int n = keys.keyGroups.length;
        this.zipf = new FastZipf(n, zipfSkew, seed);
        this.accessRandom = new Random(accessSeed);
        this.accessKeyGroups = accessKeyGroups;
        this.inAccessSet = new boolean[n];
        this.order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
    }

    /** The seeds of source subtask `subtask`, as the embedded micro-benchmark derives them. */
    public static MicroKeys forSubtask(Params p, KeySpace keys, int subtask) {
        return new MicroKeys(keys, p.zipfSkew, p.accessKeyGroups(), p.seed + subtask, 123456789L + subtask);
    }

    /** Draws local record `index`, scheduled `offsetMs` after the start; sets `key` and `access`. */
    public void next(long index, double offsetMs) {
        long s = (long) Math.floor(offsetMs / 1000);
        if (s != second) {
            second = s;
            redrawAccessSet();
        }
        int g = zipf.next();
        String[] group = keys.keys[g];
        key = group[(int) (index % group.length)];
        access = inAccessSet[g];
    }

    /** Partial Fisher-Yates: the first `accessKeyGroups` entries of a fresh permutation form the set. */
    private void redrawAccessSet() {
        int n = order.length;
        int k = Math.min(accessKeyGroups, n);
        java.util.Arrays.fill(inAccessSet, false);
        for (int i = 0; i < k; i++) {
            int j = i + accessRandom.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            inAccessSet[order[i]] = true;
        }
    }
}
