package org.arc4j.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The G.711 receiver puts reordered packets back in place instead of dropping them. */
class G711RtpReceiverTest {
    private final List<Long> times = new ArrayList<>();
    private final List<Byte> firstCodes = new ArrayList<>();

    private G711RtpReceiver receiver(int depth) {
        return new G711RtpReceiver(-1, depth, () -> 0L, (pt, codes, t) -> {
            times.add(t);
            firstCodes.add(codes[0]);
        });
    }

    private static byte[] packet(int seq) {
        byte[] codes = new byte[160];
        codes[0] = (byte) seq;
        return new RtpPacket(false, 8, seq, 1000 + 160L * seq, 7, 0, codes).encode();
    }

    private static void send(G711RtpReceiver r, int... seqs) {
        for (int s : seqs) {
            byte[] p = packet(s);
            r.receive(p, 0, p.length);
        }
    }

    @Test
    void reorderedAudioIsPlayedInOrder() {
        G711RtpReceiver r = receiver(G711RtpReceiver.DEFAULT_DEPTH);
        send(r, 0, 2, 1, 4, 3, 5);
        assertThat(times).containsExactly(0L, 160L, 320L, 480L, 640L, 800L);
        assertThat(firstCodes).containsExactly((byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5);
        assertThat(r.dropped()).isZero();
        assertThat(r.statistics().cumulativeLost()).isZero();
    }

    @Test
    void aPacketLaterThanTheDepthIsDroppedAndCounted() {
        G711RtpReceiver r = receiver(1);
        send(r, 0, 2, 3, 1);
        assertThat(times).containsExactly(0L, 320L, 480L);
        assertThat(r.dropped()).isEqualTo(1);
        assertThat(r.statistics().late()).isEqualTo(1);
    }

    @Test
    void flushHandsOnWhatWaitsBehindAGap() {
        G711RtpReceiver r = receiver(4);
        send(r, 0, 2);
        assertThat(times).containsExactly(0L);
        r.flush();
        assertThat(times).containsExactly(0L, 320L);
    }
}
