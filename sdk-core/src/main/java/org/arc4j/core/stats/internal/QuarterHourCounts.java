package org.arc4j.core.stats.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Occurrences counted per quarter hour and label (with a sum of values beside each count), so that a year of
 * statistics costs memory by the number of quarter hours and labels, not by the number of alarms: 400 days are
 * 38,400 quarter hours. A period counts the quarter hours that start within it, which is exact for periods whose
 * ends fall on a quarter hour (every day, month and year in every time zone in use, whose offsets are whole
 * quarter hours).
 *
 * <p>Not thread-safe: used under the ledger's lock.
 */
public final class QuarterHourCounts {
    /** Seconds in a quarter hour. */
    public static final long QUARTER = 900;

    private static final class Tally {
        long count;
        double sum;
    }

    private final TreeMap<Long, Map<String, Tally>> buckets = new TreeMap<>();

    /**
     * Counts one occurrence.
     *
     * @param at    when it happened
     * @param label what it was (a category, a cause), or "" when only the count matters
     * @param value a value to add up (a satisfaction score), else 0
     */
    public void add(Instant at, String label, double value) {
        Tally t = buckets.computeIfAbsent(bucket(at), b -> new HashMap<>(4)).computeIfAbsent(label, l -> new Tally());
        t.count++;
        t.sum += value;
    }

    private static long bucket(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), QUARTER);
    }

    /** @return the first quarter hour that starts at or after a time */
    private static long firstStartingAtOrAfter(Instant t) {
        long b = -Math.floorDiv(-t.getEpochSecond(), QUARTER); // the ceiling of the seconds
        return b * QUARTER == t.getEpochSecond() && t.getNano() > 0 ? b + 1 : b;
    }

    /** The buckets of the quarter hours starting in [from, to). */
    private NavigableMap<Long, Map<String, Tally>> within(Instant from, Instant to) {
        long first = firstStartingAtOrAfter(from);
        long end = firstStartingAtOrAfter(to);
        return first >= end ? new TreeMap<>() : buckets.subMap(first, true, end, false);
    }

    /**
     * @param from start, inclusive
     * @param to   end, exclusive
     * @return the occurrences counted in the quarter hours starting in the period
     */
    public long count(Instant from, Instant to) {
        long n = 0;
        for (Map<String, Tally> b : within(from, to).values()) {
            for (Tally t : b.values()) {
                n += t.count;
            }
        }
        return n;
    }

    /**
     * @param from start, inclusive
     * @param to   end, exclusive
     * @return the sum of the values counted in the period
     */
    public double sum(Instant from, Instant to) {
        double s = 0;
        for (Map<String, Tally> b : within(from, to).values()) {
            for (Tally t : b.values()) {
                s += t.sum;
            }
        }
        return s;
    }

    /**
     * @param from start, inclusive
     * @param to   end, exclusive
     * @return the count of each label in the period
     */
    public Map<String, Long> byLabel(Instant from, Instant to) {
        Map<String, Long> out = new HashMap<>();
        for (Map<String, Tally> b : within(from, to).values()) {
            b.forEach((label, t) -> out.merge(label, t.count, Long::sum));
        }
        return out;
    }

    /**
     * Forgets the quarter hours that started before a time.
     *
     * @param horizon the time
     */
    public void pruneBefore(Instant horizon) {
        buckets.headMap(bucket(horizon), false).clear();
    }

    /** @return the quarter hours held */
    public int quarters() {
        return buckets.size();
    }
}
