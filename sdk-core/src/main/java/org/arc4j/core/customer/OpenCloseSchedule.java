package org.arc4j.core.customer;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When a site is expected to be open (disarmed): one opening window per weekday in the site's time zone, and
 * a tolerance either side. Arm and disarm events are checked against it (late to close, early to open, out
 * of hours).
 *
 * <p>Immutable and thread-safe. A window closing before it opens is not supported (no overnight windows).
 *
 * @param zone      the site's time zone
 * @param hours     the opening window by weekday; a day without an entry is closed all day
 * @param tolerance how far an opening or closing may stray from the window without a violation
 */
public record OpenCloseSchedule(ZoneId zone, Map<DayOfWeek, Window> hours, Duration tolerance) {
    /** Validates the parts and copies the hours. */
    public OpenCloseSchedule {
        Objects.requireNonNull(zone, "zone");
        hours = hours.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(hours));
        tolerance = tolerance == null ? Duration.ZERO : tolerance;
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
    }

    /**
     * An opening window within one day.
     *
     * @param open  when the site opens (is disarmed)
     * @param close when it closes (is armed), after {@code open}
     */
    public record Window(LocalTime open, LocalTime close) {
        /** Validates the order. */
        public Window {
            Objects.requireNonNull(open, "open");
            Objects.requireNonNull(close, "close");
            if (!close.isAfter(open)) {
                throw new IllegalArgumentException("close must be after open: " + open + "-" + close);
            }
        }
    }

    /**
     * The same window on Monday to Friday.
     *
     * @param zone      the time zone
     * @param open      opening time
     * @param close     closing time
     * @param tolerance the tolerance
     * @return the schedule
     */
    public static OpenCloseSchedule weekdays(ZoneId zone, LocalTime open, LocalTime close, Duration tolerance) {
        Map<DayOfWeek, Window> m = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY) {
                m.put(d, new Window(open, close));
            }
        }
        return new OpenCloseSchedule(zone, m, tolerance);
    }

    /**
     * Checks a disarming (opening).
     *
     * @param at when the site was disarmed
     * @return the violation, if any
     */
    public Optional<ScheduleViolation> checkDisarm(Instant at) {
        ZonedDateTime t = at.atZone(zone);
        Window w = hours.get(t.getDayOfWeek());
        if (w == null) {
            return Optional.of(ScheduleViolation.OUT_OF_HOURS);
        }
        ZonedDateTime open = t.with(w.open()).minus(tolerance);
        ZonedDateTime close = t.with(w.close()).plus(tolerance);
        if (t.isBefore(open)) {
            return Optional.of(ScheduleViolation.EARLY_TO_OPEN);
        }
        if (t.isAfter(close)) {
            return Optional.of(ScheduleViolation.OUT_OF_HOURS);
        }
        return Optional.empty();
    }

    /**
     * Checks an arming (closing).
     *
     * @param at when the site was armed
     * @return {@link ScheduleViolation#LATE_TO_CLOSE} when armed after the closing plus the tolerance on an
     *         open day
     */
    public Optional<ScheduleViolation> checkArm(Instant at) {
        ZonedDateTime t = at.atZone(zone);
        Window w = hours.get(t.getDayOfWeek());
        if (w != null && t.isAfter(t.with(w.close()).plus(tolerance))) {
            return Optional.of(ScheduleViolation.LATE_TO_CLOSE);
        }
        return Optional.empty();
    }

    /**
     * The instant by which a site disarmed at {@code at} must be armed again: that day's closing plus the
     * tolerance, if the day has a window and it is still ahead.
     *
     * @param at the disarm time
     * @return the deadline, if any
     */
    public Optional<Instant> closeDeadline(Instant at) {
        ZonedDateTime t = at.atZone(zone);
        Window w = hours.get(t.getDayOfWeek());
        if (w == null) {
            return Optional.empty();
        }
        Instant d = t.with(w.close()).plus(tolerance).toInstant();
        return d.isAfter(at) ? Optional.of(d) : Optional.empty();
    }
}
