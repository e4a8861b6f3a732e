package spacker.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Nexmark job's arguments: the harness's keys and defaults, derived as experiments/src/jobs/nexmark.ts derives them. */
class NexmarkParamsTest {
    private static NexmarkParams parse(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--output";
        all[args.length + 1] = "/tmp/x";
        return NexmarkParams.fromArgs(all);
    }

    @Test
    void defaultsAreTheHarnessDefaults() {
        NexmarkParams p = parse();
        assertEquals("q5", p.query);
        assertEquals(100000, p.windowSizeMs);
        assertEquals(10000, p.windowSlideMs);
        assertEquals(40000, p.eventsPerSec()); // 5000 per task x parallelism 8
        assertEquals(46, p.generator.bidProportion);
        assertEquals(1000, p.generator.activePeople);
        assertEquals(50, p.watermarkIntervalMs);
    }

    @Test
    void windowsScaleWithTheTimeScaleAndQ5KeepsWholeSlides() {
        NexmarkParams q5 = parse("--spacker.time_scale", "0.33", "--spacker.nexmark.window_size_ms", "1000", "--spacker.nexmark.window_slide_ms", "250");
        assertEquals(83, q5.windowSlideMs); // round(82.5)
        assertEquals(332, q5.windowSizeMs); // 4 scaled slides, not round(330)
        NexmarkParams q8 = parse("--spacker.nexmark.query", "q8", "--spacker.time_scale", "0.33", "--spacker.nexmark.window_size_ms", "1000");
        assertEquals(330, q8.windowSizeMs);
    }

    @Test
    void otherQueriesAreRefusedNamingTheKeyAndTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--spacker.nexmark.query", "q7"));
        assertTrue(e.getMessage().contains("spacker.nexmark.query") && e.getMessage().contains("q7") && e.getMessage().contains("q5, q8"), e.getMessage());
    }

    @Test
    void badValuesNameTheirKey() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> parse("--spacker.nexmark.window_size_ms", "1000", "--spacker.nexmark.window_slide_ms", "300"));
        assertTrue(size.getMessage().contains("spacker.nexmark.window_size_ms"), size.getMessage());
        IllegalArgumentException ratio = assertThrows(IllegalArgumentException.class, () -> parse("--spacker.nexmark.hot_bidder_ratio", "0"));
        assertTrue(ratio.getMessage().contains("spacker.nexmark.hot_bidder_ratio"), ratio.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> parse("--spacker.nexmark.windowsize", "5"));
        assertTrue(unknown.getMessage().contains("spacker.nexmark.windowsize"), unknown.getMessage());
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> parse("--spacker.nexmark.generate_all", "yes"));
        assertTrue(all.getMessage().contains("spacker.nexmark.generate_all"), all.getMessage());
    }

    @Test
    void eventsAreSharedEvenlyAmongTheSources() {
        NexmarkParams p = parse("--spacker.runtime", "3", "--spacker.rate.per_task", "500", "--spacker.parallelism", "2", "--spacker.source_parallelism", "4");
        assertEquals(3000, p.totalEvents());
        long sum = 0;
        for (int s = 0; s < 4; s++) sum += p.shareOf(s);
        assertEquals(3000, sum);
    }
}
