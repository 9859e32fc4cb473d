package org.arc4j.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtpArithmeticTest {
    private final RtpArithmetic m = RtpArithmetic.INSTANCE;

    @Test
    void sequenceDeltaWrapsAround() {
        assertThat(m.sequenceDelta(65535, 0)).isEqualTo(1);
        assertThat(m.sequenceDelta(0, 65535)).isEqualTo(-1);
        assertThat(m.sequenceDelta(100, 40000)).isEqualTo(-25636);
        assertThat(m.sequenceNewer(65000, 10)).isTrue();
        assertThat(m.sequenceNewer(10, 65000)).isFalse();
    }

    @Test
    void timestampDeltaWrapsAround() {
        assertThat(m.timestampDelta(0xFFFFFFF0L, 0x10L)).isEqualTo(0x20);
        assertThat(m.timestampDelta(0x10L, 0xFFFFFFF0L)).isEqualTo(-0x20);
        assertThat(m.timestampDelta(0, 0x7FFFFFFFL)).isEqualTo(0x7FFFFFFFL);
    }

    @Test
    void extensionCountsWraps() {
        assertThat(m.extendSequence(65535, 2)).isEqualTo(65538);
        assertThat(m.extendSequence(65538, 65534)).isEqualTo(65534);
        assertThat(m.extendSequence(3 * 65536L + 5, 4)).isEqualTo(3 * 65536L + 4);
        assertThat(m.extendTimestamp(0xFFFFFF00L, 0x100L)).isEqualTo(0x1_0000_0100L);
    }
}
