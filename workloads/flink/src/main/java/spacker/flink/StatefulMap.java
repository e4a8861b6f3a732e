package spacker.flink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The micro-benchmark's stateful operator, `Splitter FlatMap` (workloads/src/micro-benchmark/stateful-map.ts):
 * per key a payload of per_key_size bytes, written when the record's access flag is set (the sequence number,
 * then a fill byte derived from it, so state is real memory whose content depends on the input alone), and a
 * count of the key's records (for checking that a rescale loses or resets no key). Each record's latency,
 * completion time minus scheduled time, goes to this subtask's latency log. Emits nothing.
 */
public class StatefulMap extends KeyedProcessFunction<String, MicroRecord, Void> {
    private static final long serialVersionUID = 1L;

    /** The operator's name, as in the embedded job: latency files are `<name>-<subtask>.csv`. */
    public static final String NAME = "Splitter FlatMap";

    private final Params params;
    private transient ValueState<byte[]> payload;
    private transient ValueState<Long> count;
    private transient LatencyWriter latency;

    public StatefulMap(Params params) {
        this.params = params;
    }

    /** The payload state (name as the embedded job's map state). */
    static ValueStateDescriptor<byte[]> payloadDescriptor() {
        return new ValueStateDescriptor<>("word-count", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    /** Records processed per key. */
    static ValueStateDescriptor<Long> countDescriptor() {
        return new ValueStateDescriptor<>("records", Types.LONG);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        payload = getRuntimeContext().getState(payloadDescriptor());
        count = getRuntimeContext().getState(countDescriptor());
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        latency = new LatencyWriter(Path.of(params.output), NAME, subtask);
    }

    @Override
    public void processElement(MicroRecord r, Context ctx, Collector<Void> out) throws Exception {
        if (params.busyWorkMs > 0) busyWait(params.busyWorkMs);
        Long n = count.value();
        count.update(n == null ? 1 : n + 1);
        if (r.access) {
            byte[] bytes = payload.value();
            if (bytes == null) bytes = new byte[params.perKeySize];
            writePayload(bytes, r.seq);
            payload.update(bytes);
        }
        double now = Clock.nowMs();
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(r.key, params.maxParallelism);
        latency.write(now - params.startEpochMs, keyGroup, now - r.scheduledMs);
    }

    @Override
    public void close() throws Exception {
        if (latency != null) latency.close();
        latency = null;
    }

    /** The bytes a write leaves: the sequence number as a little-endian double if room, then `seq & 0xff`. */
    static void writePayload(byte[] bytes, long seq) {
        byte fill = (byte) (seq & 0xff);
        if (bytes.length >= 8) {
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, seq);
            Arrays.fill(bytes, 8, bytes.length, fill);
        } else {
            Arrays.fill(bytes, fill);
        }
    }

    /** Spins for `ms` milliseconds (the reference's per-record CPU work). */
    static void busyWait(double ms) {
        long until = System.nanoTime() + (long) (ms * 1e6);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
