package spacker.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import spacker.flink.nexmark.Auction;
import spacker.flink.nexmark.Bid;
import spacker.flink.nexmark.Event;
import spacker.flink.nexmark.GeneratorConfig;
import spacker.flink.nexmark.NexmarkGenerator;
import spacker.flink.nexmark.NexmarkSource;
import spacker.flink.nexmark.Person;

/**
 * The Java generator emits the events of the TypeScript one (workloads/src/nexmark/java-parity.test.ts writes
 * the fixtures): the first 1000 events of each of two source subtasks line by line (ids, fields, event and
 * scheduled times), and a hash over 200000 events of the default and of an odd configuration.
 */
class NexmarkGeneratorParityTest {
    /** An event as the TypeScript test's eventLine writes it. */
    static String line(Event e) {
        if (e.person != null) {
            Person p = e.person;
            return String.join(",", "person", "" + p.id, p.name, p.emailAddress, p.creditCard, p.city, p.state, "" + p.dateTime, h(p.extra));
        }
        if (e.auction != null) {
            Auction a = e.auction;
            return String.join(",", "auction", "" + a.id, a.itemName, h(a.description), "" + a.initialBid, "" + a.reserve, "" + a.dateTime,
                    "" + a.expires, "" + a.seller, "" + a.category, h(a.extra));
        }
        Bid b = e.bid;
        return String.join(",", "bid", "" + b.auction, "" + b.bidder, "" + b.price, "" + b.dateTime, h(b.extra));
    }

    private static String h(String s) {
        return s.length() + ":" + s.hashCode();
    }

    private static List<String> fixture(String name) throws Exception {
        return Files.readAllLines(Path.of(NexmarkGeneratorParityTest.class.getResource("/" + name).toURI()));
    }

    @Test
    void firstEventsOfTwoSourcesEqualTheTypeScriptGenerator() throws Exception {
        NexmarkParams p = NexmarkParams.fromArgs(new String[] {"--spacker.seed", "42", "--spacker.rate.per_task", "500",
            "--spacker.parallelism", "2", "--spacker.source_parallelism", "2", "--output", "unused"});
        NexmarkGenerator g = new NexmarkGenerator(p.generator);
        double rate = p.eventsPerSec() / p.sourceParallelism;
        List<String> lines = new ArrayList<>();
        lines.add("subtask,index,n,offset_ms,event");
        for (int s = 0; s < p.sourceParallelism; s++) {
            for (long i = 0; i < 1000; i++) {
                long n = NexmarkSource.eventNumber(i, s, p.sourceParallelism);
                double offset = Schedule.offsetMs(i, rate);
                StringBuilder b = new StringBuilder().append(s).append(',').append(i).append(',').append(n).append(',');
                LatencyWriter.appendFixed3(b, offset).append(',').append(line(g.event(n, (long) Math.floor(offset), offset)));
                lines.add(b.toString());
            }
        }
        List<String> expected = fixture("nexmark-events-seed42.csv");
        assertEquals(expected.size(), lines.size(), "line count");
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), lines.get(i), "line " + (i + 1));
    }

    @Test
    void hashesOverManyEventsEqualTheTypeScriptGenerator() throws Exception {
        GeneratorConfig seed42 = GeneratorConfig.defaults(1000, 42);
        GeneratorConfig odd = new GeneratorConfig(777.5, 5_000_000_123L, new int[] {2, 5, 20, 50, 7, 3, 1, 5, 150, 400, 80});
        List<String> expected = fixture("nexmark-events-digest.csv");
        assertEquals("config,events,hash", expected.get(0));
        assertEquals(expected.get(1), "seed42,200000," + digest(seed42, 200000));
        assertEquals(expected.get(2), "odd,200000," + digest(odd, 200000));
    }

    /** `h = 31 * h + line.hashCode()` over events 0 .. count - 1, event n at time n ms. */
    private static int digest(GeneratorConfig c, int count) {
        NexmarkGenerator g = new NexmarkGenerator(c);
        int h = 0;
        for (long n = 0; n < count; n++) h = 31 * h + line(g.event(n, n, n)).hashCode();
        return h;
    }
}
