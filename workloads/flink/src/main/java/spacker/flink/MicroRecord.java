package spacker.flink;

/**
 * One micro-benchmark record (a Flink POJO: public fields, no-argument constructor). It carries its
 * scheduled emission time, so the latency measured downstream includes any time the source spent behind
 * schedule (no coordinated omission).
 */
public class MicroRecord {
    /** The key, `A<i>`; the stream is keyed by it. */
    public String key;
    /** Whether the record writes its key's state. */
    public boolean access;
    /** Scheduled emission time, epoch ms (fractional). */
    public double scheduledMs;
    /** Sequence number over the whole source: local index * source parallelism + source subtask. */
    public long seq;

    public MicroRecord() {}

    public MicroRecord(String key, boolean access, double scheduledMs, long seq) {
        this.key = key;
        this.access = access;
        this.scheduledMs = scheduledMs;
        this.seq = seq;
    }
}
