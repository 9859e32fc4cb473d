package org.arc4j.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.arc4j.media.clip.AudioCodec;
import org.arc4j.media.clip.AudioTrack;
import org.junit.jupiter.api.Test;

class AacRtpDepacketizerTest {
    /** AAC-LC, 8000 Hz, mono: object type 2, rate index 11, one channel. */
    static final Map<String, String> HBR = Map.of("streamtype", "5", "profile-level-id", "1", "Mode", "AAC-hbr",
            "SizeLength", "13", "IndexLength", "3", "IndexDeltaLength", "3", "config", "1588");

    @Test
    void twoUnitsOfOnePacketComeOutWholeAndInOrder() {
        AacRtpDepacketizer d = AacRtpDepacketizer.of(8000, HBR);
        byte[] a = filled(100, 1);
        byte[] b = filled(300, 2);
        List<byte[]> units = d.accessUnits(payload(new int[]{100, 300}, a, b));
        assertThat(units).hasSize(2);
        assertThat(units.get(0)).isEqualTo(a);
        assertThat(units.get(1)).isEqualTo(b);
    }

    @Test
    void aFragmentOrATruncatedPayloadGivesNothing() {
        AacRtpDepacketizer d = AacRtpDepacketizer.of(8000, HBR);
        byte[] big = filled(2000, 3);
        byte[] p = payload(new int[]{2000}, big);
        assertThat(d.accessUnits(Arrays.copyOf(p, 1000))).isEmpty(); // the unit goes on in the next packet
        assertThat(d.accessUnits(new byte[]{0, 16})).isEmpty(); // headers announced, none there
        assertThat(d.accessUnits(new byte[]{0})).isEmpty();
    }

    @Test
    void theAdtsHeaderDescribesTheConfigAsAProgramStreamWould() {
        AacRtpDepacketizer d = AacRtpDepacketizer.of(8000, HBR);
        byte[] unit = filled(250, 4);
        byte[] frame = d.adts(unit);
        assertThat(AudioTrack.adtsHeaderLength(frame)).isEqualTo(7);
        AudioTrack t = AudioTrack.aacFromAdts(frame);
        assertThat(t.codec()).isEqualTo(AudioCodec.AAC);
        assertThat(t.sampleRate()).isEqualTo(8000);
        assertThat(t.channels()).isOne();
        assertThat(t.aacConfig()).isEqualTo(d.config());
        int length = ((frame[3] & 3) << 11) | ((frame[4] & 0xFF) << 3) | ((frame[5] & 0xFF) >>> 5);
        assertThat(length).isEqualTo(frame.length);
        assertThat(Arrays.copyOfRange(frame, 7, frame.length)).isEqualTo(unit);
    }

    @Test
    void parametersItCannotReadAreRefused() {
        assertThat(AacRtpDepacketizer.of(8000, Map.of("config", "1588"))).isNull(); // no sizelength
        assertThat(AacRtpDepacketizer.of(8000, Map.of("sizelength", "13", "config", "zz"))).isNull();
        assertThat(AacRtpDepacketizer.of(8000, Map.of("sizelength", "13"))).isNull(); // no config
        assertThat(AacRtpDepacketizer.of(8000, Map.of("sizelength", "13", "config", "1588", "mode",
                "CELP-cbr"))).isNull();
        assertThat(AacRtpDepacketizer.of(8000, Map.of("sizelength", "13", "config", "2988"))).isNull(); // type 5
        assertThat(AacRtpDepacketizer.of(48000, Map.of("sizelength", "13", "config", "1190"))).isNotNull();
    }

    /** An AAC-hbr payload: 16 bits of AU-headers length, 13-bit sizes with 3-bit index (delta) of 0. */
    static byte[] payload(int[] sizes, byte[]... units) {
        int headerBits = 16 * sizes.length;
        int total = 2 + headerBits / 8;
        for (byte[] u : units) {
            total += u.length;
        }
        byte[] p = new byte[total];
        p[0] = (byte) (headerBits >>> 8);
        p[1] = (byte) headerBits;
        for (int i = 0; i < sizes.length; i++) {
            int h = sizes[i] << 3;
            p[2 + 2 * i] = (byte) (h >>> 8);
            p[3 + 2 * i] = (byte) h;
        }
        int at = 2 + headerBits / 8;
        for (byte[] u : units) {
            System.arraycopy(u, 0, p, at, u.length);
            at += u.length;
        }
        return p;
    }

    static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }
}
