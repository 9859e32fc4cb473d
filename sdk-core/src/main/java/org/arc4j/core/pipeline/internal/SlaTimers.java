package org.arc4j.core.pipeline.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arc4j.core.internal.IsoInstant;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.Timer;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.sla.SlaStep;
import org.arc4j.core.time.Scheduler;

/**
 * The clocks of GA 1383's timed steps and the escalation of waiting cases. Each running {@link StepClock} has a
 * deadline one tick after its limit: a step completed within its limit is met, one tick more is a breach,
 * recorded as an {@link CaseAction#SLA_BREACH} transition with the measured value and the limit, whether the
 * deadline fires or the step completes late (e.g. its completion was replayed from before a restart). A
 * presented case nobody takes is escalated after the escalation delay, and again after each further delay.
 * Completed steps are timed in {@code pipeline.step}, breaches counted in {@code pipeline.breaches}.
 *
 * <p>Not thread-safe: used only under the pipeline's lock; its timers run on a {@link LockedScheduler}.
 */
public final class SlaTimers {
    /** One millisecond past the limit is a breach. */
    private static final Duration TICK = Duration.ofMillis(1);

    /** What the timers need of the pipeline. */
    public interface Host {
        /**
         * Records a transition by the system on a case, with its consequences (this class's
         * {@link #afterChange} among them).
         *
         * @param c       the case
         * @param action  the action
         * @param details its details
         */
        void transition(CaseFile c, CaseAction action, Map<String, String> details);

        /**
         * @param c a case
         * @return true while it is the case in memory under its id (not archived nor replaced)
         */
        boolean inMemory(CaseFile c);

        /** @param e an event for the pipeline's listeners */
        void publish(PipelineEvent e);
    }

    private final Scheduler scheduler;
    private final Duration escalateAfter;
    private final Host host;
    private final EnumMap<SlaStep, Counter> breachCounters = new EnumMap<>(SlaStep.class);
    private final EnumMap<SlaStep, Timer> stepTimers = new EnumMap<>(SlaStep.class);
    private Instant recoveredAt;

    /**
     * @param scheduler     the scheduler, whose tasks run under the pipeline's lock
     * @param escalateAfter how long a presented case may wait to be taken
     * @param metrics       where breaches are counted and steps timed
     * @param host          the pipeline
     */
    public SlaTimers(Scheduler scheduler, Duration escalateAfter, Metrics metrics, Host host) {
        this.scheduler = scheduler;
        this.escalateAfter = escalateAfter;
        this.host = host;
        for (SlaStep step : SlaStep.values()) {
            breachCounters.put(step, metrics.counter("pipeline.breaches", "step", step.name()));
            stepTimers.put(step, metrics.timer("pipeline.step", "step", step.name()));
        }
    }

    /**
     * Brings the timers of a case up to date after a transition: a presentation starts the escalation, a final
     * state stops every timer; otherwise steps completed late are breached and new steps get their deadline.
     *
     * @param c      the case
     * @param action the transition's action
     */
    public void afterChange(CaseFile c, CaseAction action) {
        if (action == CaseAction.PRESENTED) {
            armEscalation(c, 1);
        }
        if (c.state.isFinal()) {
            c.cancelTimers();
        } else {
            lateCompletions(c);
            armTimers(c);
        }
    }

    /**
     * Takes up an open case rebuilt from the store: its clocks count as started before the restart (a deadline
     * that fell due before {@code recoveredAt} is a breach during the outage), steps measured before are not
     * timed again, a presented case nobody took resumes its escalation.
     *
     * @param c the case
     * @see #recoveredAt(Instant)
     */
    public void resume(CaseFile c) {
        for (StepClock s = c.clocks; s != null; s = s.next) {
            s.recovered = true;
            s.recorded = s.done; // measured before the restart: not recorded in this run's metrics again
        }
        if (c.presentedAt != null && c.takenBy == null) {
            armEscalation(c, c.escalations + 1);
        }
        lateCompletions(c);
        armTimers(c);
    }

    /** @param at when the centre came back: a recovered deadline due before it is a breach during the outage */
    public void recoveredAt(Instant at) {
        this.recoveredAt = at;
    }

    private void armEscalation(CaseFile c, int level) {
        if (c.takenBy != null || c.state.isFinal()) {
            return;
        }
        Instant due = c.presentedAt.plus(escalateAfter.multipliedBy(level));
        c.escalation = scheduler.scheduleAt(due, () -> escalate(c, level));
    }

    private void escalate(CaseFile c, int level) {
        if (c.takenBy != null || c.state.isFinal() || !host.inMemory(c) || c.escalations >= level) {
            return;
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("level", Integer.toString(level));
        d.put("waited", Duration.between(c.presentedAt, scheduler.now()).toString());
        host.transition(c, CaseAction.ESCALATED, d);
        armEscalation(c, level + 1);
    }

    private void armTimers(CaseFile c) {
        for (StepClock s = c.clocks; s != null; s = s.next) {
            if (!s.done && !s.breached && s.timer == null && s.limit != null) {
                StepClock clock = s;
                Instant deadline = s.startedAt.plus(s.limit).plus(TICK);
                s.timer = scheduler.scheduleAt(deadline, () -> deadline(c, clock));
            }
        }
    }

    private void deadline(CaseFile c, StepClock s) {
        if (s.done || s.breached || !host.inMemory(c) || c.state.isFinal() || c.clock(s.key) != s) {
            return; // completed, closed, or replaced by a restarted step (its timer may already have been due)
        }
        breach(c, s, Duration.between(s.startedAt, scheduler.now()), duringOutage(s));
    }

    private void lateCompletions(CaseFile c) {
        for (StepClock s = c.clocks; s != null; s = s.next) {
            if (s.done && !s.recorded) {
                s.recorded = true;
                stepTimers.get(s.step).record(s.measured);
            }
            if (s.done && !s.breached && s.limit != null && s.measured.compareTo(s.limit) > 0) {
                breach(c, s, s.measured, duringOutage(s));
            }
        }
    }

    private boolean duringOutage(StepClock s) {
        return s.recovered && recoveredAt != null && s.startedAt.plus(s.limit).isBefore(recoveredAt);
    }

    private void breach(CaseFile c, StepClock s, Duration measured, boolean outage) {
        // the GA 1383 evidence: which step, when it started, its limit and what it took; written for every case no
        // console presented in time (a load run without operators breaches every case), so nothing else is: the
        // clock only when it is not the step's own, the outage flag only when set, the time to the millisecond
        // (the limit's own resolution, one tick)
        Map<String, String> d = new LinkedHashMap<>();
        d.put("step", s.step.name());
        if (!s.key.equals(s.step.name())) {
            d.put("clock", s.key);
        }
        d.put("startedAt", IsoInstant.toString(s.startedAt));
        d.put("limit", s.limit.toString());
        d.put("measured", measured.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        if (outage) {
            d.put("duringOutage", "true");
        }
        s.breached = true; // before the transition, so that afterChange does not breach it twice
        breachCounters.get(s.step).increment();
        host.transition(c, CaseAction.SLA_BREACH, d);
        host.publish(new PipelineEvent.Breached(c.breaches.get(c.breaches.size() - 1)));
    }
}
