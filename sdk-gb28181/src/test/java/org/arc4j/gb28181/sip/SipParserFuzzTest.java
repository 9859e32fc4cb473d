package org.arc4j.gb28181.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.arc4j.gb28181.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Random and mutated inputs: the parser answers every one with a result, never an exception. */
class SipParserFuzzTest {
    private static final List<String> SEEDS = List.of("sip/hik2013_register_3_with_authorization.sip",
            "sip/hik2013_keepalive_message.sip", "sip/device_register_route_lf_only.sip",
            "sip/platform_invite_play_tcp_passive_to_hik_platform.sip", "sip/srs_register_200_ok.sip");

    /** The kept corpus (src/test/resources/fuzz/SipParserFuzzTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(SipParserFuzzTest.class, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void mutatedAndRandomInputs(FuzzSeeds.Seed fuzz) {
        fuzz.check(() -> {
            long seed = fuzz.value();
            SplittableRandom rnd = new SplittableRandom(seed);
            SipParser parser = new SipParser(new SipLimits(4096, 512, 40));
            List<byte[]> corpus = SEEDS.stream().map(Vectors::bytes).toList();
            int parsed = 0;
            for (int round = 0; round < 20_000; round++) {
                byte[] in;
                if (round % 10 == 0) {
                    in = new byte[rnd.nextInt(300)];
                    for (int i = 0; i < in.length; i++) {
                        in[i] = (byte) rnd.nextInt(256);
                    }
                } else {
                    byte[] src = corpus.get(rnd.nextInt(corpus.size()));
                    in = mutate(src, rnd);
                }
                int off = in.length == 0 ? 0 : rnd.nextInt(Math.min(3, in.length + 1));
                int len = in.length - off;
                SipParseResult d = parser.parseDatagram(in, off, len);
                SipParseResult s = parser.parseStream(in, off, len);
                assertThat(d).as("seed %d round %d", seed, round).isNotInstanceOf(SipParseResult.Incomplete.class);
                if (d instanceof SipParseResult.Parsed p) {
                    parsed++;
                    assertThat(p.consumed()).isEqualTo(len);
                    byte[] re = SipEncoder.INSTANCE.encode(p.message());
                    SipParseResult again = SipParser.INSTANCE.parseStream(re, 0, re.length);
                    assertThat(again).as("seed %d round %d re-encoded", seed, round)
                            .isInstanceOf(SipParseResult.Parsed.class);
                    SipParserTest.assertSameMessage(((SipParseResult.Parsed) again).message(), p.message());
                }
                if (s instanceof SipParseResult.Parsed p) {
                    assertThat(p.consumed()).isBetween(1, len);
                }
                if (d instanceof SipParseResult.Invalid inv) {
                    assertThat(inv.reason()).isNotBlank();
                    assertThat(inv.offset()).isBetween(0, len);
                }
            }
            assertThat(parsed).isPositive();
        });
    }

    private static byte[] mutate(byte[] src, SplittableRandom rnd) {
        byte[] b = src.clone();
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (rnd.nextInt(4)) {
                case 0 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                case 1 -> b[rnd.nextInt(b.length)] = (byte) "\r\n: ;,<>\"".charAt(rnd.nextInt(9));
                case 2 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                default -> {
                    int at = rnd.nextInt(b.length + 1);
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) rnd.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
            }
            if (b.length == 0) {
                return b;
            }
        }
        return b;
    }
}
