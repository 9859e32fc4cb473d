package org.arc4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** IsoDuration against the JDK's Duration.parse and toString, the oracle. */
class IsoDurationTest {
    @Test
    void readsWhatDurationToStringWritesAsTheJdkDoes() {
        Duration[] edges = {Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(1), Duration.ofSeconds(4),
            Duration.ofSeconds(20), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofHours(24),
            Duration.ofHours(25).plusMillis(1), Duration.ofSeconds(4, 1_000_000), Duration.ofSeconds(59, 999_999_999),
            Duration.ofDays(180), Duration.ofSeconds(3_600_000_000L, 5)};
        for (Duration d : edges) {
            assertThat(IsoDuration.parse(d.toString())).as(d.toString()).isEqualTo(d);
        }
        SplittableRandom r = new SplittableRandom(15);
        for (int i = 0; i < 100_000; i++) {
            long seconds = switch (i % 4) {
                case 0 -> r.nextLong(60);
                case 1 -> r.nextLong(3600);
                case 2 -> r.nextLong(86_400 * 400L);
                default -> r.nextLong(1L << 40);
            };
            int nanos = switch (i % 3) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                default -> r.nextInt(1_000_000_000);
            };
            Duration d = Duration.ofSeconds(seconds, nanos);
            assertThat(IsoDuration.parse(d.toString())).as(d.toString()).isEqualTo(d);
        }
    }

    @Test
    void anyOtherTextIsTheJdksToJudge() {
        // other valid forms: same value as the JDK
        for (String s : new String[] {"P1D", "PT-4S", "-PT4S", "PT4,5S", "pt4s", "PT0.5S", "PT1M0S", "P2DT3H",
            "PT1.S"}) {
            assertThat(IsoDuration.parse(s)).as(s).isEqualTo(Duration.parse(s));
        }
        // invalid: the JDK's exception
        for (String s : new String[] {"PT", "PT4", "PTS", "PT.5S", "PT4S4M", "PT1M1H", "PT1H1H", "PT4X",
            "PT1.1234567891S", "PT99999999999999999999S", "4S", ""}) {
            assertThatThrownBy(() -> IsoDuration.parse(s)).as(s).isInstanceOf(DateTimeParseException.class);
        }
    }

    @Test
    void mutatedTextParsesAsTheJdkParsesItOrFailsAsItFails() {
        SplittableRandom r = new SplittableRandom(1383);
        String alphabet = "PTHMS.0123456789-,D";
        for (int i = 0; i < 50_000; i++) {
            char[] c = Duration.ofSeconds(r.nextLong(100_000), r.nextInt(3) == 0 ? r.nextInt(1_000_000_000) : 0)
                    .toString().toCharArray();
            c[r.nextInt(c.length)] = alphabet.charAt(r.nextInt(alphabet.length()));
            String s = new String(c);
            Duration want;
            try {
                want = Duration.parse(s);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> IsoDuration.parse(s)).as(s).isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(IsoDuration.parse(s)).as(s).isEqualTo(want);
        }
    }
}
