package org.arc4j.core.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.customer.Account;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.OpenCloseSchedule;
import org.arc4j.core.customer.ScheduleViolation;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.pipeline.PipelineEvent;
import org.junit.jupiter.api.Test;

class ArmingSchedulesTest {
    private Fixtures f = new Fixtures();
    private final List<PipelineEvent> published = new ArrayList<>();

    /** Without a directory: the site is the account, and there is no schedule. */
    private ArmingSchedules bare() {
        return new ArmingSchedules(null, f.scheduler, published::add);
    }

    /** The shop's account on a weekday 08:00-18:00 UTC schedule with 15 minutes' tolerance. */
    private ArmingSchedules scheduled() {
        CustomerDirectory d = f.shop(new Account(Fixtures.ACCOUNT, "shop-1", Transport.IP, null,
                OpenCloseSchedule.weekdays(ZoneOffset.UTC, LocalTime.of(8, 0), LocalTime.of(18, 0),
                        Duration.ofMinutes(15))));
        return new ArmingSchedules(d, f.scheduler, published::add);
    }

    private static final String SITE = "account:" + Fixtures.ACCOUNT;

    private AlarmEvent sia(String code) {
        return f.received(Fixtures.sia(code, Category.OPEN_CLOSE, "001"));
    }

    private AlarmEvent contactId(Qualifier q) {
        return f.received(Fixtures.contactId("401", q, Category.OPEN_CLOSE, "001"));
    }

    private List<ScheduleViolation> violations() {
        return published.stream().filter(e -> e instanceof PipelineEvent.ScheduleViolated)
                .map(e -> ((PipelineEvent.ScheduleViolated) e).violation()).toList();
    }

    @Test
    void siaClosingsArmOpeningsDisarmAndOtherReportsChangeNothing() {
        ArmingSchedules a = bare();
        assertThat(a.armed(SITE)).isEmpty();
        a.onOpenClose(sia("CL"), true);
        assertThat(a.armed(SITE)).contains(true);
        a.onOpenClose(sia("OP"), true);
        assertThat(a.armed(SITE)).contains(false);
        a.onOpenClose(sia("CI"), true); // failed to close: still open
        assertThat(a.armed(SITE)).contains(false);
        a.onOpenClose(sia("CA"), true);
        a.onOpenClose(sia("OT"), true); // late to close: says nothing new about the state
        assertThat(a.armed(SITE)).contains(true);
    }

    @Test
    void accountsNobodyConfiguredAreRememberedUpToTheBoundTheQuietestForgottenFirst() {
        ArmingSchedules a = scheduled(); // the shop is configured; the flood is not
        a.onOpenClose(contactId(Qualifier.RESTORE), true);
        int flood = ArmingSchedules.MAX_UNCONFIGURED + 50;
        for (int i = 0; i < flood; i++) {
            AlarmEvent e = sia("CL").toBuilder().account("X" + i).build();
            a.onOpenClose(e, true);
            if (i == flood - 100) {
                a.onOpenClose(sia("OP").toBuilder().account("X0").build(), true); // X0 armed again: not the quietest
            }
        }
        assertThat(a.unconfiguredHeld()).isEqualTo(ArmingSchedules.MAX_UNCONFIGURED);
        String prefix = "account:" + Fixtures.ACCOUNT.receiver() + "/" + Fixtures.ACCOUNT.line() + "/";
        assertThat(a.armed(prefix + "X1")).isEmpty(); // forgotten
        assertThat(a.armed(prefix + "X0")).contains(false);
        assertThat(a.armed(prefix + "X" + (flood - 1))).contains(true);
        assertThat(a.armed("shop-1")).contains(true); // configured sites are never evicted
        assertThat(a.latestEvents()).hasSize(ArmingSchedules.MAX_UNCONFIGURED + 1);
    }

    @Test
    void contactIdClosesWithQualifierThree() {
        ArmingSchedules a = bare();
        a.onOpenClose(contactId(Qualifier.RESTORE), true);
        assertThat(a.armed(SITE)).contains(true);
        a.onOpenClose(contactId(Qualifier.NEW_EVENT), true);
        assertThat(a.armed(SITE)).contains(false);
    }

    @Test
    void anOpeningLeftOpenIsLateToCloseOneTickAfterTheDeadline() {
        ArmingSchedules a = scheduled();
        a.onOpenClose(contactId(Qualifier.NEW_EVENT), true); // Tuesday 09:00, within hours
        assertThat(violations()).isEmpty();
        f.scheduler.advance(Duration.ofHours(9).plusMinutes(15)); // 18:15, the deadline itself
        assertThat(violations()).isEmpty();
        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(violations()).containsExactly(ScheduleViolation.LATE_TO_CLOSE);
        // arming late is that same lateness: not reported twice
        a.onOpenClose(contactId(Qualifier.RESTORE), true);
        assertThat(violations()).containsExactly(ScheduleViolation.LATE_TO_CLOSE);
    }

    @Test
    void closingInTimeCancelsTheLateToCloseCheck() {
        ArmingSchedules a = scheduled();
        a.onOpenClose(contactId(Qualifier.NEW_EVENT), true);
        f.scheduler.advance(Duration.ofHours(8));
        a.onOpenClose(contactId(Qualifier.RESTORE), true);
        f.scheduler.advance(Duration.ofHours(2));
        assertThat(violations()).isEmpty();
        assertThat(a.armed("shop-1")).contains(true);
        assertThat(a.armed(SITE)).isEmpty(); // an account with a site is known by its site
    }

    @Test
    void anEarlyOpeningIsReported() {
        f = new Fixtures(Fixtures.T0.minus(Duration.ofHours(2))); // 07:00
        ArmingSchedules a = scheduled();
        a.onOpenClose(contactId(Qualifier.NEW_EVENT), true);
        assertThat(violations()).containsExactly(ScheduleViolation.EARLY_TO_OPEN);
    }

    @Test
    void aReplayedOpeningReportsNothingButStillExpectsTheClosing() {
        f = new Fixtures(Fixtures.T0.minus(Duration.ofHours(2))); // 07:00: early, but replayed
        ArmingSchedules a = scheduled();
        a.onOpenClose(contactId(Qualifier.NEW_EVENT), false);
        assertThat(violations()).isEmpty();
        f.scheduler.advance(Duration.ofHours(11).plusMinutes(15).plusMillis(1));
        assertThat(violations()).containsExactly(ScheduleViolation.LATE_TO_CLOSE);
    }

    @Test
    void closingStopsTheTimers() {
        ArmingSchedules a = scheduled();
        a.onOpenClose(contactId(Qualifier.NEW_EVENT), true);
        a.close();
        f.scheduler.advance(Duration.ofHours(12));
        assertThat(violations()).isEmpty();
    }
}
