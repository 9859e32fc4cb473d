package org.arc4j.core.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Await} on a virtual time source, whose pauses move it: no test here waits in real time but the last. */
class AwaitTest {
    /** A time source that moves only by the pauses the wait takes, recording each. */
    private static final class FakeTime {
        long now = 123_456_789L; // nanoTime has an arbitrary origin
        final List<Long> pauses = new ArrayList<>();

        long now() {
            return now;
        }

        void pause(long nanos) {
            pauses.add(nanos);
            now += nanos;
        }
    }

    @Test
    void aConditionThatHoldsAtOnceReturnsWithoutPausingOrDescribing() {
        FakeTime t = new FakeTime();
        AtomicBoolean described = new AtomicBoolean();
        Await.until(Duration.ofSeconds(10), () -> true, () -> {
            described.set(true);
            return "x";
        }, t::now, t::pause);
        assertThat(t.pauses).isEmpty();
        assertThat(described).isFalse();
    }

    @Test
    void returnsOnThePollThatSeesTheConditionBackingOffUpTo50Ms() {
        FakeTime t = new FakeTime();
        AtomicInteger polls = new AtomicInteger();
        Await.until(Duration.ofSeconds(10), () -> polls.incrementAndGet() == 10, () -> "ten polls", t::now, t::pause);
        assertThat(polls).hasValue(10);
        assertThat(t.pauses).containsExactly(1_000_000L, 2_000_000L, 4_000_000L, 8_000_000L, 16_000_000L,
                32_000_000L, 50_000_000L, 50_000_000L, 50_000_000L);
    }

    @Test
    void failsAtTheBoundWithTheDescriptionAfterALastPoll() {
        FakeTime t = new FakeTime();
        AtomicInteger polls = new AtomicInteger();
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(100), () -> {
            polls.incrementAndGet();
            return false;
        }, () -> "the answer after " + polls.get() + " polls", t::now, t::pause))
                .isInstanceOf(AssertionError.class)
                .hasMessage("not within PT0.1S: the answer after 8 polls");
        // 1+2+4+8+16+32 ms, then the 37 ms left rather than 50: the wait never sleeps past its bound
        assertThat(t.pauses).containsExactly(1_000_000L, 2_000_000L, 4_000_000L, 8_000_000L, 16_000_000L,
                32_000_000L, 37_000_000L);
        assertThat(t.pauses.stream().mapToLong(Long::longValue).sum()).isEqualTo(100_000_000L);
    }

    @Test
    void aConditionMetOnTheLastPollAtTheBoundPasses() {
        FakeTime t = new FakeTime();
        long start = t.now;
        Await.until(Duration.ofMillis(100), () -> t.now - start >= 100_000_000L, () -> "the bound", t::now, t::pause);
        assertThat(t.now - start).isEqualTo(100_000_000L);
    }

    @Test
    void aZeroTimeoutPollsExactlyOnce() {
        FakeTime t = new FakeTime();
        AtomicInteger polls = new AtomicInteger();
        assertThatThrownBy(() -> Await.until(Duration.ZERO, () -> polls.incrementAndGet() < 0, () -> "once",
                t::now, t::pause)).isInstanceOf(AssertionError.class).hasMessageContaining("once");
        assertThat(polls).hasValue(1);
        assertThat(t.pauses).isEmpty();
    }

    @Test
    void aNegativeTimeoutIsRefused() {
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(-1), () -> true, () -> "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInterruptFailsTheWaitAndKeepsTheInterruptStatus() {
        FakeTime t = new FakeTime();
        try {
            assertThatThrownBy(() -> Await.until(Duration.ofSeconds(10), () -> false, () -> "a peer",
                    t::now, nanos -> {
                        throw new InterruptedException();
                    }))
                    .isInstanceOf(AssertionError.class).hasMessage("interrupted waiting for: a peer")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    /** The real clock and sleep: another thread makes the condition true while the caller waits for it. */
    @Test
    void seesWhatAnotherThreadDoes() throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        Thread other = new Thread(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                return;
            }
            done.set(true);
        });
        other.start();
        Await.until(Duration.ofSeconds(30), done::get, () -> "the other thread's flag");
        assertThat(done).isTrue();
        other.join();
    }
}
