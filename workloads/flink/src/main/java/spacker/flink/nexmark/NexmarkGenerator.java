package spacker.flink.nexmark;

import java.io.Serializable;
import java.util.Random;

import org.apache.flink.util.MathUtils;

/**
 * The Nexmark event generator, equal to workloads/src/nexmark/generator.ts draw for draw: event number `n`
 * decides the kind (people : auctions : bids = 1 : 3 : 46 by default, in that order in every block) and the
 * ids, and a `java.util.Random` seeded from `n` and the seed everything else. The same (seed, n, time) always
 * gives the same event, whichever subtask generates it. Prices use StrictMath.pow (fdlibm, as V8's `**`).
 * Not thread-safe: one instance per source subtask.
 */
public final class NexmarkGenerator implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final long FIRST_PERSON_ID = 1000;
    public static final long FIRST_AUCTION_ID = 1000;
    public static final long FIRST_CATEGORY_ID = 10;
    public static final int NUM_CATEGORIES = 5;
    public static final int PERSON_ID_LEAD = 10;
    public static final int AUCTION_ID_LEAD = 10;
    public static final long HOT_GROUP_SIZE = 100;
    static final String[] US_STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
    static final String[] US_CITIES = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"};
    static final String[] FIRST_NAMES = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"};
    static final String[] LAST_NAMES = {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};

    /** Characters random strings are cut from: one fixed pseudo-random text, so a string is a cheap slice. */
    private static final int TEXT_POOL_SIZE = 1 << 16;
    private static final String TEXT_POOL = textPool();
    /** Bytes of a bid before `extra` (Beam's size accounting: 8 per number). */
    private static final int BID_BASE_SIZE = 8 * 4;

    public final GeneratorConfig config;
    private final int total;
    /** The seed's contribution to every event's random seed (16 bits: java.util.Random keeps 48). */
    private final long seedPart;
    /** Upper bound of an auction's length, ms: twice the time the in-flight auctions take to be created. */
    private final int auctionLengthBoundMs;
    private transient Random random;

    public NexmarkGenerator(GeneratorConfig c) {
        config = c;
        total = c.personProportion + c.auctionProportion + c.bidProportion;
        seedPart = (MathUtils.murmurHash((int) c.seed) ^ MathUtils.murmurHash((int) (c.seed >> 32))) & 0xffff;
        double eventsForAuctions = ((double) c.inFlightAuctions * total) / c.auctionProportion;
        long bound = Math.max(1, Math.round((2 * eventsForAuctions * 1000) / c.ratePerSec));
        if (bound > Integer.MAX_VALUE) throw new IllegalArgumentException("--spacker.rate.per_task: an event rate of " + c.ratePerSec + "/s makes auctions longer than 2^31 ms");
        auctionLengthBoundMs = (int) bound;
    }

    private static String textPool() {
        Random r = new Random(0x4e45584d);
        char[] chars = new char[TEXT_POOL_SIZE];
        for (int i = 0; i < TEXT_POOL_SIZE; i++) chars[i] = (char) ('a' + r.nextInt(26));
        return new String(chars);
    }

    /** The kind of event number `n`: 0 person, 1 auction, 2 bid. */
    public int kindOf(long n) {
        long r = n % total;
        return r < config.personProportion ? 0 : r < config.personProportion + config.auctionProportion ? 1 : 2;
    }

    /** Base-0 id of the newest person at event `n`. */
    long lastBase0PersonId(long n) {
        long epoch = n / total;
        long offset = n % total;
        if (offset >= config.personProportion) offset = config.personProportion - 1;
        return epoch * config.personProportion + offset;
    }

    /** Base-0 id of the newest auction at event `n` (-1 before the first). */
    long lastBase0AuctionId(long n) {
        long epoch = n / total;
        long offset = n % total;
        if (offset < config.personProportion) {
            epoch--;
            offset = config.auctionProportion - 1;
        } else if (offset >= config.personProportion + config.auctionProportion) {
            offset = config.auctionProportion - 1;
        } else {
            offset -= config.personProportion;
        }
        return epoch * config.auctionProportion + offset;
    }

    /** Event `n` at event time `dateTime` (ms after the start), with scheduled time `scheduledMs`. */
    public Event event(long n, long dateTime, double scheduledMs) {
        Event e = new Event();
        e.n = n;
        e.scheduledMs = scheduledMs;
        switch (kindOf(n)) {
            case 0 -> e.person = person(n, dateTime);
            case 1 -> e.auction = auction(n, dateTime);
            default -> e.bid = bid(n, dateTime);
        }
        return e;
    }

    public Person person(long n, long dateTime) {
        Random r = seeded(n);
        Person p = new Person();
        p.id = lastBase0PersonId(n) + FIRST_PERSON_ID;
        p.name = FIRST_NAMES[r.nextInt(FIRST_NAMES.length)] + " " + LAST_NAMES[r.nextInt(LAST_NAMES.length)];
        p.emailAddress = text(r, 7) + "@" + text(r, 5) + ".com";
        StringBuilder card = new StringBuilder(19);
        for (int i = 0; i < 4; i++) {
            if (i > 0) card.append(' ');
            String digits = String.valueOf(r.nextInt(10000));
            for (int k = digits.length(); k < 4; k++) card.append('0');
            card.append(digits);
        }
        p.creditCard = card.toString();
        p.city = US_CITIES[r.nextInt(US_CITIES.length)];
        p.state = US_STATES[r.nextInt(US_STATES.length)];
        p.dateTime = dateTime;
        int size = 8 + p.name.length() + p.emailAddress.length() + p.creditCard.length() + p.city.length() + p.state.length();
        p.extra = extra(r, size, config.avgPersonSize);
        return p;
    }

    public Auction auction(long n, long dateTime) {
        Random r = seeded(n);
        Auction a = new Auction();
        a.id = lastBase0AuctionId(n) + FIRST_AUCTION_ID;
        a.seller = (r.nextInt(config.hotSellerRatio) > 0 ? hot(lastBase0PersonId(n)) : randomPerson(n, r)) + FIRST_PERSON_ID;
        a.category = FIRST_CATEGORY_ID + r.nextInt(NUM_CATEGORIES);
        a.initialBid = price(r);
        a.dateTime = dateTime;
        a.expires = dateTime + 1 + r.nextInt(auctionLengthBoundMs);
        a.itemName = text(r, 20);
        a.description = text(r, 100);
        a.reserve = a.initialBid + price(r);
        int size = 8 * 7 + a.itemName.length() + a.description.length();
        a.extra = extra(r, size, config.avgAuctionSize);
        return a;
    }

    public Bid bid(long n, long dateTime) {
        Random r = seeded(n);
        Bid b = new Bid();
        b.auction = (r.nextInt(config.hotAuctionRatio) > 0 ? hot(lastBase0AuctionId(n)) : randomAuction(n, r)) + FIRST_AUCTION_ID;
        b.bidder = (r.nextInt(config.hotBidderRatio) > 0 ? hot(lastBase0PersonId(n)) + 1 : randomPerson(n, r)) + FIRST_PERSON_ID;
        b.price = price(r);
        b.dateTime = dateTime;
        b.extra = extra(r, BID_BASE_SIZE, config.avgBidSize);
        return b;
    }

    /** One of the newest active people, or up to PERSON_ID_LEAD beyond the newest (base 0). */
    private long randomPerson(long n, Random r) {
        long people = lastBase0PersonId(n) + 1;
        long active = Math.min(people, config.activePeople);
        return people - active + r.nextInt((int) (active + PERSON_ID_LEAD));
    }

    /** One of the newest in-flight auctions, or up to AUCTION_ID_LEAD beyond the newest (base 0). */
    private long randomAuction(long n, Random r) {
        long last = lastBase0AuctionId(n);
        long min = Math.max(last - config.inFlightAuctions, 0);
        return min + r.nextInt((int) (Math.max(0, last - min) + 1 + AUCTION_ID_LEAD));
    }

    /** Padding so that an event of `size` bytes is on average `avg` bytes (uniform within ±20 %). */
    private static String extra(Random r, int size, int avg) {
        if (size >= avg) return "";
        int want = avg - size;
        int delta = (int) Math.round(want * 0.2);
        return text(r, want - delta + r.nextInt(2 * delta + 1));
    }

    /** `length` random lowercase letters. */
    private static String text(Random r, int length) {
        if (length <= 0) return "";
        if (length >= TEXT_POOL_SIZE) return TEXT_POOL.repeat(length / TEXT_POOL_SIZE + 1).substring(0, length);
        int at = r.nextInt(TEXT_POOL_SIZE - length + 1);
        return TEXT_POOL.substring(at, at + length);
    }

    private Random seeded(long n) {
        if (random == null) random = new Random(0);
        random.setSeed((seedPart << 32) + (n % 0x100000000L));
        return random;
    }

    /** The hot id of the group an id falls in. */
    private static long hot(long base0) {
        return Math.floorDiv(base0, HOT_GROUP_SIZE) * HOT_GROUP_SIZE;
    }

    /** A price in cents, log-uniform between 1 and 10^6 dollars. */
    private static long price(Random r) {
        return Math.round(StrictMath.pow(10, r.nextDouble() * 6) * 100);
    }
}
