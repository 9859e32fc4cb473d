package org.arc4j.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.SupervisionEvent;
import org.junit.jupiter.api.Test;

/**
 * The ledger's memory is bounded (issue 15 item 5): it counts per quarter hour, not per occurrence, and forgets
 * what is older than {@link QualityLedger#RETAINED} behind the newest time it saw, on virtual time.
 */
class QualityLedgerBoundsTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static void offline(QualityLedger l, Instant at, String device) {
        l.onSupervisionEvent(new SupervisionEvent.Offline(DeviceKey.of("account", device), at, null, null));
    }

    @Test
    void aFloodWithinOneQuarterHourIsOneQuarterHourOfMemoryAndEveryOccurrenceIsCounted() {
        QualityLedger l = new QualityLedger();
        for (int i = 0; i < 10_000; i++) { // 10,000 distinct devices missing their reports within 10 minutes
            offline(l, T0.plusMillis(i * 60L), "R1/L1/" + i);
        }
        assertThat(l.quartersHeld()).isEqualTo(1);
        assertThat(l.daily(LocalDate.of(2025, 1, 1), ZoneOffset.UTC, 0, 0, 0, 0).periodicReportAnomalies()).isEqualTo(10_000);
        // a period counts the quarter hours that start within it: exact on quarter hours
        assertThat(l.report(T0, T0.plus(Duration.ofMinutes(15))).missedAlarms()).isZero();
        assertThat(l.daily(LocalDate.of(2025, 1, 2), ZoneOffset.UTC, 0, 0, 0, 0).periodicReportAnomalies()).isZero();
    }

    @Test
    void aYearAndMoreHoldsNoMoreThanTheRetainedQuarterHoursAndForgetsTheOldest() throws Exception {
        QualityLedger l = new QualityLedger();
        l.openFault("old-repaired", T0, "power", false);
        l.closeFault("old-repaired", T0.plus(Duration.ofHours(3)));
        l.openFault("old-open", T0, "detector", false);
        l.recordMissedAlarm(T0, "panel 9");
        int days = 500;
        for (int d = 0; d < days; d++) {
            for (int q = 0; q < 96; q++) {
                offline(l, T0.plus(Duration.ofDays(d)).plus(Duration.ofMinutes(15L * q + 7)), "R1/L1/" + q);
            }
        }
        long retainedQuarters = QualityLedger.RETAINED.toMinutes() / 15;
        assertThat(l.quartersHeld()).isBetween((int) retainedQuarters - 96, (int) retainedQuarters + 96);
        Instant newest = T0.plus(Duration.ofDays(days));
        // the last 300 days are all there, the first days are gone
        assertThat(l.daily(LocalDate.of(2025, 1, 1).plusDays(days - 1), ZoneOffset.UTC, 0, 0, 0, 0).periodicReportAnomalies())
                .isEqualTo(96);
        assertThat(l.daily(LocalDate.of(2025, 1, 1), ZoneOffset.UTC, 0, 0, 0, 0).periodicReportAnomalies()).isZero();
        assertThat(l.missedAlarms(T0, newest)).isEmpty();
        assertThat(l.faults()).extracting(FaultTicket::id).containsExactly("old-open"); // open: kept until repaired
    }
}
