package org.arc4j.core.pipeline.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.arc4j.core.codes.CodeRole;
import org.arc4j.core.codes.CodeTables;
import org.arc4j.core.customer.Account;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.OpenCloseSchedule;
import org.arc4j.core.customer.ScheduleViolation;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;

/**
 * The armed state of each site (GA 1383 布撤防) and its check against the account's open/close schedule: early to
 * open, out of hours, and late to close, which a timer finds when a site opened and is still open one tick after
 * its closing deadline. Whether an event arms or disarms is the code tables' ({@link CodeTables#armingOf}).
 *
 * <p>Not thread-safe: used only under the pipeline's lock; its timers run on a {@link LockedScheduler}.
 */
public final class ArmingSchedules {
    /** A deadline is met at its instant; the site is late from the next tick. */
    private static final Duration TICK = Duration.ofMillis(1);

    private final CustomerDirectory directory;
    private final Scheduler scheduler;
    private final Consumer<PipelineEvent> publish;
    /** The sites of configured accounts: the integrator's configuration bounds them. */
    private final Map<String, ArmState> armed = new HashMap<>();
    /**
     * Accounts nobody configured ({@code account:} keys), least recently armed or disarmed first: any sender can
     * make one up, so at most {@link #MAX_UNCONFIGURED} are remembered and the one quiet longest is forgotten (its
     * state reads as unknown again). They have no schedule, hence no timers.
     */
    private final LinkedHashMap<String, ArmState> unconfigured = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArmState> eldest) {
            return size() > MAX_UNCONFIGURED;
        }
    };

    /** The most accounts nobody configured whose armed state is remembered: 10,000. */
    public static final int MAX_UNCONFIGURED = 10_000;

    private static final class ArmState {
        boolean armed;
        Instant since;
        boolean lateReported;
        boolean openedOutOfHours;
        Cancellable closeTimer;
        /** The opening or closing that set the state: what a checkpoint keeps of the site. */
        AlarmEvent last;
    }

    /** @return each site's latest opening or closing, for the pipeline's checkpoint */
    public java.util.List<AlarmEvent> latestEvents() {
        java.util.List<AlarmEvent> out = new java.util.ArrayList<>();
        for (Map<String, ArmState> m : List.of(armed, unconfigured)) {
            for (ArmState s : m.values()) {
                if (s.last != null) {
                    out.add(s.last);
                }
            }
        }
        return out;
    }

    /**
     * @param directory the accounts, their sites and schedules, or null (no schedules, sites by account)
     * @param scheduler the scheduler for late-to-close timers, whose tasks run under the pipeline's lock
     * @param publish   where violations go
     */
    public ArmingSchedules(CustomerDirectory directory, Scheduler scheduler, Consumer<PipelineEvent> publish) {
        this.directory = directory;
        this.scheduler = scheduler;
        this.publish = publish;
    }

    /**
     * Takes an arming or disarming: updates the site's state and, for a live one, checks it against the
     * schedule. A code that neither arms nor disarms (a failed or late closing) changes nothing.
     *
     * @param e    an open/close event
     * @param live false when replayed on recovery: no violation is reported again, but a site still open is
     *             still expected to close
     */
    public void onOpenClose(AlarmEvent e, boolean live) {
        CodeRole role = CodeTables.armingOf(e.codeSystem(), e.code(), e.qualifier());
        if (role == CodeRole.NONE) {
            return;
        }
        boolean arming = role == CodeRole.CLOSING;
        AccountKey key = AccountKey.of(e);
        Optional<Account> account = directory == null ? Optional.empty() : directory.account(key);
        String site = account.map(Account::siteId).orElse("account:" + key);
        ArmState s = (account.isPresent() ? armed : unconfigured).computeIfAbsent(site, k -> new ArmState());
        Instant at = e.receivedAt();
        s.armed = arming;
        s.since = at;
        s.last = e;
        if (s.closeTimer != null) {
            s.closeTimer.cancel();
            s.closeTimer = null;
        }
        OpenCloseSchedule schedule = account.map(Account::schedule).orElse(null);
        if (schedule == null) {
            return;
        }
        if (!live) {
            if (!arming) {
                expectClosing(key, site, s, schedule, at);
            }
            return;
        }
        if (arming) {
            // closing after hours is what an out-of-hours opening implies: that was reported already
            if (!s.lateReported && !s.openedOutOfHours) {
                schedule.checkArm(at).ifPresent(v -> publish.accept(new PipelineEvent.ScheduleViolated(key, site, v,
                        at)));
            }
            s.lateReported = false;
        } else {
            s.lateReported = false;
            Optional<ScheduleViolation> v = schedule.checkDisarm(at);
            s.openedOutOfHours = v.isPresent() && v.get() == ScheduleViolation.OUT_OF_HOURS;
            v.ifPresent(x -> publish.accept(new PipelineEvent.ScheduleViolated(key, site, x, at)));
            expectClosing(key, site, s, schedule, at);
        }
    }

    private void expectClosing(AccountKey key, String site, ArmState s, OpenCloseSchedule schedule, Instant at) {
        schedule.closeDeadline(at).ifPresent(deadline -> s.closeTimer = scheduler.scheduleAt(deadline.plus(TICK),
                () -> lateToClose(key, site, s, at, deadline.plus(TICK))));
    }

    private void lateToClose(AccountKey key, String site, ArmState s, Instant disarmedAt, Instant deadline) {
        if (!s.armed && disarmedAt.equals(s.since) && !s.lateReported) {
            s.lateReported = true;
            publish.accept(new PipelineEvent.ScheduleViolated(key, site, ScheduleViolation.LATE_TO_CLOSE, deadline));
        }
    }

    /**
     * @param siteId the site id (or {@code account:receiver/line/account} for an account without a site)
     * @return true when armed, false when disarmed, empty when no arming or disarming was seen
     */
    public Optional<Boolean> armed(String siteId) {
        ArmState s = armed.get(siteId);
        if (s == null) {
            s = unconfigured.get(siteId);
        }
        return s == null ? Optional.empty() : Optional.of(s.armed);
    }

    /** @return the accounts nobody configured whose armed state is remembered (at most {@link #MAX_UNCONFIGURED}) */
    public int unconfiguredHeld() {
        return unconfigured.size();
    }

    /** Stops every late-to-close timer. */
    public void close() {
        armed.values().forEach(s -> {
            if (s.closeTimer != null) {
                s.closeTimer.cancel();
            }
        });
    }
}
