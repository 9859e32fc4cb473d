package org.arc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
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
