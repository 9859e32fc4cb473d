package org.arc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IsoInstantTest {
    private static String viaGenerator(Instant t) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            IsoInstant.writeField(g, "t", t);
            g.writeEndObject();
        }
        return w.toString();
    }

    private static void check(Instant t) throws IOException {
        assertEquals("{\"t\":\"" + t + "\"}", viaGenerator(t), () -> "epoch second " + t.getEpochSecond()
                + " nano " + t.getNano());
        assertEquals(t.toString(), IsoInstant.toString(t), () -> "toString of " + t.getEpochSecond() + "/"
                + t.getNano());
        assertEquals(t, IsoInstant.parse(t.toString()), () -> "parse of " + t);
    }

    @Test
    void mutatedTextParsesAsInstantParseDoesOrFailsAsItFails() {
        SplittableRandom r = new SplittableRandom(1383);
        String alphabet = "0123456789-:.TZ+";
        for (int i = 0; i < 50_000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(4_000_000_000L), r.nextInt(3) == 0 ? r.nextInt(1_000_000_000)
                    : r.nextInt(1000) * 1_000_000);
            char[] c = t.toString().toCharArray();
            c[r.nextInt(c.length)] = alphabet.charAt(r.nextInt(alphabet.length()));
            String s = new String(c);
            Instant want;
            try {
                want = Instant.parse(s);
            } catch (DateTimeParseException e) {
                assertThrows(DateTimeParseException.class,
                        () -> IsoInstant.parse(s), s);
                continue;
            }
            assertEquals(want, IsoInstant.parse(s), s);
        }
        // valid instants in forms toString never writes are still read, by the JDK
        for (String s : new String[] {"2026-12-05T09:00:00.100Z", "2026-12-05T09:00:00.123000Z",
            "2026-12-05T09:00:00.5Z", "1969-12-31T23:59:59Z", "2026-12-05T24:00:00Z", "+10000-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z"}) {
            assertEquals(Instant.parse(s), IsoInstant.parse(s), s);
        }
        for (String s : new String[] {"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-12-05T09:00:60Z", "2026-12-05 09:00:00Z", ""}) {
            assertThrows(DateTimeParseException.class,
                    () -> IsoInstant.parse(s), s);
        }
    }

    @Test
    void sameTextAsInstantToStringAtTheEdges() throws IOException {
        long[] seconds = {0, 1, 59, 60, 86_399, 86_400, 951_782_400L /* 2000-02-29 */, 4_107_542_400L /* 2100-03-01 */,
                1_795_000_000L, 253_402_300_799L, 253_402_300_800L, -1, -86_401, -62_167_219_200L,
                Instant.MAX.getEpochSecond(), Instant.MIN.getEpochSecond()};
        int[] nanos = {0, 1, 999_999_999, 1_000_000, 120_000_000, 1000, 123_456_000, 123_456_789, 100};
        for (long s : seconds) {
            for (int n : nanos) {
                check(Instant.ofEpochSecond(s, n));
            }
        }
    }

    /** The kept corpus (src/test/resources/fuzz/IsoInstantTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(IsoInstantTest.class, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void sameTextAsInstantToStringOverRandomInstants(FuzzSeeds.Seed seed) throws IOException {
        seed.check(() -> {
            SplittableRandom r = new SplittableRandom(seed.value());
            for (int i = 0; i < 200_000; i++) {
                long s = r.nextLong(-100_000_000_000L, 300_000_000_000L);
                int n = switch (i % 4) {
                    case 0 -> 0;
                    case 1 -> r.nextInt(1000) * 1_000_000;
                    case 2 -> r.nextInt(1_000_000) * 1000;
                    default -> r.nextInt(1_000_000_000);
                };
                check(Instant.ofEpochSecond(s, n));
            }
        });
    }
}
