package org.arc4j.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.arc4j.core.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventIdTest {

    /** The kept corpus (src/test/resources/fuzz/EventIdTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(EventIdTest.class, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void textFormRoundTripsAndKeepsOrder(FuzzSeeds.Seed seed) {
        seed.check(() -> {
            Random r = new Random(seed.value());
            List<EventId> ids = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                EventId id = EventId.of(r.nextLong(), r.nextLong());
                assertThat(EventId.parse(id.toString())).isEqualTo(id);
                assertThat(id.toString()).hasSize(26).matches("[0-7][0-9A-HJKMNP-TV-Z]{25}");
                ids.add(id);
            }
            for (int i = 1; i < ids.size(); i++) {
                EventId a = ids.get(i - 1);
                EventId b = ids.get(i);
                assertThat(Integer.signum(a.compareTo(b)))
                        .isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
            }
        });
    }

    @Test
    void knownUlidDecodesToItsTimestamp() {
        // examples from the ULID specification: its time part 01ARYZ6S41 is 1469918176385 ms
        assertThat(EventId.parse("01ARYZ6S41TSV4RRFFQ69G5FAV").timestamp())
                .isEqualTo(Instant.ofEpochMilli(1469918176385L));
        EventId id = EventId.parse("01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assertThat(id.timestamp()).isEqualTo(Instant.ofEpochMilli(1469922850259L));
        assertThat(id.toString()).isEqualTo("01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assertThat(EventId.parse("01arz3ndektsv4rrffq69g5fav")).isEqualTo(id);
    }

    @Test
    void rejectsMalformedText() {
        assertThatThrownBy(() -> EventId.parse("01ARZ3NDEK")).hasMessageContaining("26 characters");
        assertThatThrownBy(() -> EventId.parse("81ARZ3NDEKTSV4RRFFQ69G5FAV")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> EventId.parse("01ARZ3NDEKTSV4RRFFQ69G5FAU")).hasMessageContaining("at 25");
    }

    @Test
    void generatorIsStrictlyMonotonicEvenWhenTheClockStandsStillOrStepsBack() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-24T06:00:00Z"));
        EventIdGenerator gen = new EventIdGenerator(clock, new Random(1));
        EventId prev = gen.next();
        for (int i = 0; i < 10_000; i++) {
            if (i == 5000) {
                clock.set(clock.instant().minus(Duration.ofSeconds(3)));
            }
            if (i % 1000 == 999) {
                clock.advance(Duration.ofMillis(1));
            }
            EventId next = gen.next();
            assertThat(next).isGreaterThan(prev);
            prev = next;
        }
        clock.advance(Duration.ofHours(1));
        assertThat(gen.next().timestamp()).isEqualTo(clock.instant());
    }
}
