package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.arc4j.protocols.dc09.internal.Dc09StreamFramer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TCP framer over random segmentations of a stream of frames in every CRC style (raw CRC bytes that are LF
 * or CR included), with garbage between them: every frame comes out whole and in order, nothing else does.
 */
class Dc09StreamFramerTest {
    /** The kept corpus (src/test/resources/fuzz/Dc09StreamFramerTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(Dc09StreamFramerTest.class, 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void framesSurviveAnySegmentationAndGarbage(FuzzSeeds.Seed fuzz) {
        fuzz.check(() -> {
            long seed = fuzz.value();
            Random rnd = new Random(seed);
            Dc09Encoder enc = new Dc09Encoder(new Random(seed));
            Dc09Key key = Dc09Key.ofHex("2B7E151628AED2A6ABF7158809CF4F3C");
            for (int round = 0; round < 200; round++) {
                List<byte[]> frames = new ArrayList<>();
                ByteArrayOutputStream stream = new ByteArrayOutputStream();
                for (int i = 0; i < 20; i++) {
                    if (rnd.nextInt(3) == 0) {
                        // garbage without LF: nothing in it can start a frame
                        byte[] g = new byte[rnd.nextInt(40)];
                        for (int k = 0; k < g.length; k++) {
                            int c;
                            do {
                                c = rnd.nextInt(256);
                            } while (c == 0x0A);
                            g[k] = (byte) c;
                        }
                        stream.writeBytes(g);
                    }
                    Dc09Frame f = Dc09Frame.of(Dc09Token.SIA_DCS, rnd.nextBoolean(), String.format("%04d", i), null,
                            "0", "1234", "#1234|NBA" + rnd.nextInt(1000), Instant.ofEpochSecond(1_700_000_000L + i));
                    byte[] b = enc.encode(f, Dc09CrcStyle.values()[rnd.nextInt(3)], key);
                    frames.add(b);
                    stream.writeBytes(b);
                }
                byte[] all = stream.toByteArray();
                EmbeddedChannel ch = new EmbeddedChannel(new Dc09StreamFramer(1024, new SimpleMetrics().counter("g")));
                int p = 0;
                while (p < all.length) {
                    int n = Math.min(all.length - p, 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 200));
                    ch.writeInbound(Unpooled.wrappedBuffer(all, p, n));
                    p += n;
                }
                List<byte[]> out = new ArrayList<>();
                for (Object o; (o = ch.readInbound()) != null; ) {
                    out.add((byte[]) o);
                }
                assertThat(out).as("seed %d round %d", seed, round).hasSameSizeAs(frames);
                for (int i = 0; i < frames.size(); i++) {
                    assertThat(out.get(i)).as("seed %d round %d frame %d", seed, round, i).isEqualTo(frames.get(i));
                }
                ch.finishAndReleaseAll();
            }
        });
    }

    @Test
    void aFrameCutShortIsDroppedAndTheNextOneStillComesOut() {
        Dc09Encoder enc = new Dc09Encoder();
        byte[] a = enc.encode(Dc09Frame.of(Dc09Token.NULL, false, "0001", null, "0", "1234", "", null), null);
        byte[] b = enc.encode(Dc09Frame.of(Dc09Token.NULL, false, "0002", null, "0", "1234", "", null), null);
        EmbeddedChannel ch = new EmbeddedChannel(new Dc09StreamFramer(1024, new SimpleMetrics().counter("g")));
        ch.writeInbound(Unpooled.wrappedBuffer(a, 0, a.length - 5), Unpooled.wrappedBuffer(b));
        assertThat((byte[]) ch.readInbound()).isEqualTo(b);
        Object none = ch.readInbound();
        assertThat(none).isNull();
        // a would-be frame longer than the bound is given up without keeping its bytes
        ch.writeInbound(Unpooled.wrappedBuffer(("\n00000FFF\"SIA-DCS\"" + "x".repeat(3000)).getBytes()));
        ch.writeInbound(Unpooled.wrappedBuffer(a));
        assertThat((byte[]) ch.readInbound()).isEqualTo(a);
        ch.finishAndReleaseAll();
    }
}
