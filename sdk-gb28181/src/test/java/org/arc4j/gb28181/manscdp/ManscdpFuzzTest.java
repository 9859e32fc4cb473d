package org.arc4j.gb28181.manscdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.arc4j.gb28181.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Mutated and random MANSCDP bodies: the decoder answers each with a document or a typed error, never throws. */
class ManscdpFuzzTest {
    private static final List<String> SEEDS = List.of("alarm_notify_hik_gb2312_reconstructed.xml",
            "catalog_response_cascade_utf8_status_on_civilcode_null.xml", "devicecontrol_ptz_stop_wvpgen.xml",
            "alarm_notify_alarmtype_in_info_overrides.xml", "query_alarm_wvpgen.xml");

    /** The kept corpus (src/test/resources/fuzz/ManscdpFuzzTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(ManscdpFuzzTest.class, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void mutatedAndRandomBodies(FuzzSeeds.Seed fuzz) {
        fuzz.check(() -> {
            long seed = fuzz.value();
            SplittableRandom rnd = new SplittableRandom(seed);
            List<byte[]> corpus = SEEDS.stream().map(f -> Vectors.bytes("manscdp/" + f)).toList();
            int decoded = 0;
            for (int round = 0; round < 3_000; round++) {
                byte[] b;
                if (round % 10 == 0) {
                    b = new byte[rnd.nextInt(200)];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (byte) rnd.nextInt(256);
                    }
                } else {
                    b = corpus.get(rnd.nextInt(corpus.size())).clone();
                    for (int e = 0; e < 1 + rnd.nextInt(3); e++) {
                        b[rnd.nextInt(b.length)] = (byte) "<>/&\"'x0\u00ff".charAt(rnd.nextInt(9));
                    }
                }
                ManscdpResult r = ManscdpDecoder.INSTANCE.decode(b);
                assertThat(r).as("seed %d round %d", seed, round).isNotNull();
                if (r instanceof ManscdpResult.Decoded d) {
                    decoded++;
                    ManscdpDocument doc = d.document();
                    assertThat(doc.deviceId()).isNotNull();
                    if (doc.is("Notify", "Alarm")) {
                        assertThat(ManscdpAlarm.of(doc).category()).isNotNull();
                    }
                    CatalogResponse.of(doc);
                } else {
                    assertThat(((ManscdpResult.Invalid) r).reason()).startsWith("MANSCDP ");
                }
            }
            assertThat(decoded).isPositive();
        });
    }

    @Test
    void sizeLimit() {
        ManscdpDecoder small = new ManscdpDecoder(100, 8, 50);
        byte[] big = new byte[101];
        assertThat(small.decode(big)).isEqualTo(new ManscdpResult.Invalid(ManscdpError.TOO_LARGE, "101 bytes"));
        StringBuilder many = new StringBuilder("<Query><CmdType>x</CmdType>");
        for (int i = 0; i < 60; i++) {
            many.append("<a/>");
        }
        many.append("</Query>");
        assertThat(new ManscdpDecoder(10_000, 8, 50).decode(many.toString().getBytes(
                java.nio.charset.StandardCharsets.US_ASCII))).isEqualTo(new ManscdpResult.Invalid(
                ManscdpError.TOO_COMPLEX, "over 50 elements"));
    }
}
