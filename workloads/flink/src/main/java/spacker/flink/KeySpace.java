package spacker.flink;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The micro-benchmark's keys `A0 .. A{n-1}` grouped by Flink key group (workloads/src/micro-benchmark/
 * key-space.ts): the non-empty key groups in ascending order (zipf rank 1 is the first), each with its keys
 * in ascending index order.
 */
public final class KeySpace implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Non-empty key groups, ascending. */
    public final int[] keyGroups;
    /** Keys of each entry of `keyGroups`. */
    public final String[][] keys;

    public KeySpace(int nKeys, int maxParallelism) {
        List<List<String>> byGroup = new ArrayList<>(maxParallelism);
        for (int kg = 0; kg < maxParallelism; kg++) byGroup.add(new ArrayList<>());
        for (int i = 0; i < nKeys; i++) {
            String key = "A" + i;
            byGroup.get(KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism)).add(key);
        }
        List<Integer> nonEmpty = new ArrayList<>();
        for (int kg = 0; kg < maxParallelism; kg++) if (!byGroup.get(kg).isEmpty()) nonEmpty.add(kg);
        keyGroups = new int[nonEmpty.size()];
        keys = new String[nonEmpty.size()][];
        for (int i = 0; i < keyGroups.length; i++) {
            keyGroups[i] = nonEmpty.get(i);
            keys[i] = byGroup.get(keyGroups[i]).toArray(new String[0]);
        }
    }
}
