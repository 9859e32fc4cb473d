package org.arc4j.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketTest {
    @Test
    void roundTripsAndReadsTheFixedHeader() {
        RtpPacket p = new RtpPacket(true, 8, 65535, 0xFFFFFFF0L, 0xDEADBEEFL, 0, new byte[] {1, 2, 3});
        byte[] b = p.encode();
        assertThat(b[0] & 0xFF).isEqualTo(0x80);
        assertThat(b[1] & 0xFF).isEqualTo(0x88);
        assertThat(RtpPacket.decode(b, 0, b.length)).isEqualTo(new RtpDecodeResult.Valid(p));
    }

    @Test
    void skipsCsrcsAndExtensionAndRemovesPadding() {
        // V=2 P=1 X=1 CC=1, PT 0, seq 1, ts 160, ssrc 7, one CSRC, extension of one word, payload AB CD, 2 pad bytes
        byte[] b = {(byte) 0xB1, 0, 0, 1, 0, 0, 0, (byte) 160, 0, 0, 0, 7,
            0, 0, 0, 9,
            (byte) 0xBE, (byte) 0xDE, 0, 1, 1, 2, 3, 4,
            (byte) 0xAB, (byte) 0xCD, 0, 2};
        RtpDecodeResult r = RtpPacket.decode(b, 0, b.length);
        assertThat(r).isEqualTo(new RtpDecodeResult.Valid(new RtpPacket(false, 0, 1, 160, 7, 1,
                new byte[] {(byte) 0xAB, (byte) 0xCD})));
    }

    @Test
    void typedErrors() {
        assertThat(RtpPacket.decode(new byte[11], 0, 11)).extracting("error").isEqualTo(RtpError.TOO_SHORT);
        byte[] v1 = new RtpPacket(false, 0, 1, 1, 1, 0, new byte[4]).encode();
        v1[0] = 0x40;
        assertThat(RtpPacket.decode(v1, 0, v1.length)).extracting("error").isEqualTo(RtpError.BAD_VERSION);
        byte[] cc = new RtpPacket(false, 0, 1, 1, 1, 0, new byte[0]).encode();
        cc[0] = (byte) 0x82;
        assertThat(RtpPacket.decode(cc, 0, cc.length)).extracting("error").isEqualTo(RtpError.TOO_SHORT);
        byte[] x = new RtpPacket(false, 0, 1, 1, 1, 0, new byte[4]).encode();
        x[0] = (byte) 0x90;
        x[14] = 0;
        x[15] = 9;
        assertThat(RtpPacket.decode(x, 0, x.length)).extracting("error").isEqualTo(RtpError.BAD_EXTENSION);
        byte[] pad = new RtpPacket(false, 0, 1, 1, 1, 0, new byte[4]).encode();
        pad[0] = (byte) 0xA0;
        pad[pad.length - 1] = 0;
        assertThat(RtpPacket.decode(pad, 0, pad.length)).extracting("error").isEqualTo(RtpError.BAD_PADDING);
        pad[pad.length - 1] = 50;
        assertThat(RtpPacket.decode(pad, 0, pad.length)).extracting("error").isEqualTo(RtpError.BAD_PADDING);
    }

    /** The kept corpus (src/test/resources/fuzz/RtpPacketTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(RtpPacketTest.class, 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void randomDatagramsNeverThrow(FuzzSeeds.Seed seed) {
        seed.check(() -> {
            SplittableRandom rnd = new SplittableRandom(seed.value());
            for (int n = 0; n < 50_000; n++) {
                byte[] b = new byte[rnd.nextInt(40)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt(256);
                }
                if (b.length > 0 && rnd.nextBoolean()) {
                    b[0] = (byte) (0x80 | (b[0] & 0x3F));
                }
                assertThat(RtpPacket.decode(b, 0, b.length)).isNotNull();
            }
        });
    }

    @Test
    void telephoneEventPayload() {
        TelephoneEvent e = TelephoneEvent.dtmf('#', true, 10, 480);
        assertThat(e.encode()).containsExactly(11, 0x8A, 1, (byte) 0xE0);
        assertThat(TelephoneEvent.decode(e.encode())).isEqualTo(e);
        assertThat(e.key()).isEqualTo('#');
        assertThat(TelephoneEvent.decode(new byte[3])).isNull();
    }
}
