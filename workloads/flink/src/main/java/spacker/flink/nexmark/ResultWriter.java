package spacker.flink.nexmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One subtask's query results, `<run>/results/<operator>-<subtask>.csv`: header `deployment,<fields>`, one
 * line per result, flushed at once (results are few: one per window, or per new user). `deployment` is
 * random per opened writer, i.e. per deployment of the subtask: a result that a restart from a checkpoint
 * emits again comes from another deployment, while two copies from one deployment are the query's own
 * error. A file that already has lines (a subtask resumed from a savepoint or redeployed) is appended to.
 */
public final class ResultWriter implements AutoCloseable {
    private final BufferedWriter out;
    private final String deployment;

    public ResultWriter(Path runDir, String operator, int subtask, String fields) throws IOException {
        Path dir = runDir.resolve("results");
        Files.createDirectories(dir);
        Path path = dir.resolve(operator + "-" + subtask + ".csv");
        boolean fresh = !Files.exists(path) || Files.size(path) == 0;
        out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        if (fresh) out.write("deployment," + fields + "\n");
        deployment = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    /** Appends one result, its fields already joined by commas (none of them holds a comma). */
    public void write(String fields) throws IOException {
        out.write(deployment + "," + fields + "\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
