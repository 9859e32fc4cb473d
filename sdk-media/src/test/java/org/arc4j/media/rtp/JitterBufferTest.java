package org.arc4j.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JitterBufferTest {
    private final List<Integer> out = new ArrayList<>();

    private static RtpPacket p(int seq) {
        return p(seq, 0x1234);
    }

    private static RtpPacket p(int seq, long ssrc) {
        return new RtpPacket(false, 0, seq & 0xFFFF, (seq * 160L) & 0xFFFFFFFFL, ssrc, 0, new byte[] {(byte) seq});
    }

    private JitterBuffer buffer(int depth) {
        return new JitterBuffer(depth, 8000, pk -> out.add(pk.sequence()));
    }

    @Test
    void inOrderPacketsPassAtOnce() {
        JitterBuffer b = buffer(4);
        for (int s = 65533; s < 65540; s++) {
            assertThat(b.offer(p(s), 0)).isEqualTo(JitterBuffer.Outcome.ACCEPTED);
            assertThat(out.get(out.size() - 1)).isEqualTo(s & 0xFFFF);
        }
        ReceptionStatistics st = b.statistics();
        assertThat(st.extendedHighestSequence()).isEqualTo(65539);
        assertThat(st.expected()).isEqualTo(7);
        assertThat(st.cumulativeLost()).isZero();
    }

    @Test
    void reorderedPacketsArePutBack() {
        JitterBuffer b = buffer(4);
        for (int s : new int[] {10, 12, 13, 11, 14}) {
            b.offer(p(s), 0);
        }
        assertThat(out).containsExactly(10, 11, 12, 13, 14);
        assertThat(b.held()).isZero();
    }

    @Test
    void aGapIsGivenUpWhenTheDepthIsFullAndTheLatecomerIsCounted() {
        JitterBuffer b = buffer(2);
        b.offer(p(1), 0);
        b.offer(p(3), 0);
        b.offer(p(4), 0);
        assertThat(out).containsExactly(1);
        b.offer(p(5), 0);
        assertThat(out).containsExactly(1, 3, 4, 5);
        assertThat(b.offer(p(2), 0)).isEqualTo(JitterBuffer.Outcome.LATE);
        assertThat(b.offer(p(2), 0)).isEqualTo(JitterBuffer.Outcome.DUPLICATE);
        assertThat(b.offer(p(5), 0)).isEqualTo(JitterBuffer.Outcome.DUPLICATE);
        ReceptionStatistics st = b.statistics();
        assertThat(st.late()).isEqualTo(1);
        assertThat(st.duplicates()).isEqualTo(2);
        assertThat(st.received()).isEqualTo(5);
        assertThat(st.cumulativeLost()).isZero();
    }

    @Test
    void duplicateWhileHeldIsRecognised() {
        JitterBuffer b = buffer(4);
        b.offer(p(1), 0);
        b.offer(p(3), 0);
        assertThat(b.offer(p(3), 0)).isEqualTo(JitterBuffer.Outcome.DUPLICATE);
        b.flush();
        assertThat(out).containsExactly(1, 3);
        assertThat(b.statistics().cumulativeLost()).isEqualTo(1);
    }

    @Test
    void farJumpIsDiscardedUntilConfirmedThenRestarts() {
        JitterBuffer b = buffer(4);
        b.offer(p(100), 0);
        b.offer(p(101), 0);
        assertThat(b.offer(p(20000), 0)).isEqualTo(JitterBuffer.Outcome.DISCARDED);
        assertThat(b.offer(p(20001), 0)).isEqualTo(JitterBuffer.Outcome.ACCEPTED);
        assertThat(b.offer(p(20002), 0)).isEqualTo(JitterBuffer.Outcome.ACCEPTED);
        assertThat(out).containsExactly(100, 101, 20001, 20002);
        assertThat(b.statistics().expected()).isEqualTo(2);
        assertThat(b.statistics().discarded()).isEqualTo(1);
    }

    @Test
    void newSsrcRestarts() {
        JitterBuffer b = buffer(4);
        b.offer(p(1), 0);
        b.offer(p(3), 0);
        b.offer(p(500, 99), 0);
        assertThat(out).containsExactly(1, 3, 500);
        assertThat(b.statistics().ssrc()).isEqualTo(99);
        assertThat(b.statistics().expected()).isEqualTo(1);
    }

    @Test
    void fractionLostPerInterval() {
        JitterBuffer b = buffer(0);
        for (int s = 0; s < 10; s++) {
            if (s != 3 && s != 7) {
                b.offer(p(s), 0);
            }
        }
        ReceptionStatistics first = b.intervalReport();
        assertThat(first.fractionLost()).isEqualTo(2 * 256 / 10);
        assertThat(first.cumulativeLost()).isEqualTo(2);
        for (int s = 10; s < 20; s++) {
            b.offer(p(s), 0);
        }
        assertThat(b.intervalReport().fractionLost()).isZero();
    }

    @Test
    void jitterFollowsRfc3550A8() {
        JitterBuffer b = new JitterBuffer(4, 8000, pk -> { });
        // 20 ms packets (160 ticks); arrivals alternate 0 and +5 ms (40 ticks) late
        double expected = 0;
        long lastTransit = 0;
        for (int s = 0; s < 50; s++) {
            long lateness = (s % 2) * 5_000_000L;
            b.offer(p(s), s * 20_000_000L + lateness);
            long transit = lateness * 8000 / 1_000_000_000L;
            if (s > 0) {
                expected += (Math.abs(transit - lastTransit) - expected) / 16.0;
            }
            lastTransit = transit;
        }
        assertThat(b.statistics().jitter()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(expected).isGreaterThan(30);
    }

    @Test
    void randomLossReorderingAndDuplicationKeepOrderAndAccounts() {
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("JitterBufferTest seed " + seed);
        Random r = new Random(seed);
        for (int round = 0; round < Integer.getInteger("arc4j.rounds", 50); round++) {
            out.clear();
            int depth = r.nextInt(8);
            JitterBuffer b = buffer(depth);
            int start = r.nextInt(65536);
            List<Integer> sent = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                if (r.nextInt(10) != 0) {
                    sent.add(start + i);
                }
                if (r.nextInt(20) == 0) {
                    sent.add(start + i);
                }
            }
            for (int i = 0; i + 1 < sent.size(); i++) {
                if (r.nextInt(6) == 0) {
                    Collections.swap(sent, i, Math.min(sent.size() - 1, i + 1 + r.nextInt(3)));
                }
            }
            long late = 0;
            for (int s : sent) {
                if (b.offer(p(s), 0) == JitterBuffer.Outcome.LATE) {
                    late++;
                }
            }
            b.flush();
            for (int i = 1; i < out.size(); i++) {
                assertThat(RtpArithmetic.INSTANCE.sequenceNewer(out.get(i - 1), out.get(i)))
                        .as("seed %d round %d at %d", seed, round, i).isTrue();
            }
            long distinct = sent.stream().distinct().count();
            ReceptionStatistics st = b.statistics();
            assertThat(st.received()).as("seed %d", seed).isEqualTo(distinct);
            assertThat(out.size() + late).as("seed %d", seed).isEqualTo(distinct);
            assertThat(st.late()).isEqualTo(late);
            assertThat(b.held()).isZero();
        }
    }
}
