package org.arc4j.examples.center.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.arc4j.examples.center.admin.ComplianceReport.Row;
import org.arc4j.examples.center.admin.ComplianceReport.Status;
import org.arc4j.examples.center.supervise.PromptLog;

/**
 * The compliance report's supervision rows from the journalled prompts ({@link PromptLog}): how fast offline
 * devices were prompted (设备状态检测) and how often the terminals' communication was checked (设备巡检 ≤ 24 h).
 * Stateless.
 */
public final class SupervisionEvidence {
    /** An offline device is prompted at once: later than this after its outage was detected is a breach. */
    public static final Duration PROMPT_LIMIT = Duration.ofMinutes(1);
    /** GA 1383 设备巡检: the communication check at least every 24 h. */
    public static final Duration CHECK_LIMIT = Duration.ofHours(24);

    private SupervisionEvidence() {
    }

    /**
     * The row {@code offline-devices}: every offline or late-to-test prompt raised in the period, timed from its
     * device's outage; one raised later than {@link #PROMPT_LIMIT} is a breach naming the device. The evidence also
     * says how fast the operators acknowledged them.
     *
     * @param log  the journalled prompts
     * @param from the start, inclusive
     * @param to   the end, exclusive
     * @return the row
     */
    public static Row offlineDevices(PromptLog log, Instant from, Instant to) {
        long count = 0;
        long within = 0;
        long acked = 0;
        Duration worst = null;
        Duration slowestAck = null;
        Set<String> late = new LinkedHashSet<>();
        for (PromptLog.Entry e : log.prompts()) {
            String kind = e.prompt().kind();
            Instant raised = e.prompt().raisedAt();
            if (!(kind.equals("offline") || kind.equals("late-to-test")) || raised.isBefore(from)
                    || !raised.isBefore(to)) {
                continue;
            }
            count++;
            Duration took = e.offlineSince() == null || e.offlineSince().isAfter(raised) ? Duration.ZERO
                    : Duration.between(e.offlineSince(), raised);
            if (took.compareTo(PROMPT_LIMIT) > 0) {
                late.add(e.prompt().subject());
            } else {
                within++;
            }
            worst = worst == null || took.compareTo(worst) > 0 ? took : worst;
            if (e.acknowledgedAt() != null) {
                acked++;
                Duration ack = Duration.between(raised, e.acknowledgedAt());
                slowestAck = slowestAck == null || ack.compareTo(slowestAck) > 0 ? ack : slowestAck;
            }
        }
        Status s = count == 0 ? Status.NOT_EVIDENCED : late.isEmpty() ? Status.MET : Status.BREACHED;
        String evidence = count == 0 ? "no device went offline or missed its test in the period"
                : within + " of " + count + " offline or late-to-test prompts raised within " + PROMPT_LIMIT
                + " of the outage, worst " + worst + "; " + acked + " acknowledged by an operator"
                + (slowestAck == null ? "" : ", the slowest after " + slowestAck);
        return new Row("offline-devices", "Offline devices prompted at once (设备离线提示)", s, count, within, worst,
                List.copyOf(late), evidence);
    }

    /**
     * The row {@code terminal-checks-24h}: the inspection runs journalled in the period, never more than
     * {@link #CHECK_LIMIT} apart; a longer gap is a breach, and so is every device an inspection found not heard
     * from within its period (named in the breaches).
     *
     * @param log  the journalled inspection runs and prompts
     * @param from the start, inclusive
     * @param to   the end, exclusive
     * @return the row
     */
    public static Row terminalChecks(PromptLog log, Instant from, Instant to) {
        List<PromptLog.Inspection> runs = log.inspections().stream()
                .filter(i -> !i.at().isBefore(from) && i.at().isBefore(to)).toList();
        Set<String> breaches = new LinkedHashSet<>();
        Duration worst = null;
        long within = 0;
        for (int i = 1; i < runs.size(); i++) {
            Duration gap = Duration.between(runs.get(i - 1).at(), runs.get(i).at());
            worst = worst == null || gap.compareTo(worst) > 0 ? gap : worst;
            if (gap.compareTo(CHECK_LIMIT) > 0) {
                breaches.add("no check from " + runs.get(i - 1).at() + " to " + runs.get(i).at());
            } else {
                within++;
            }
        }
        List<String> silent = new ArrayList<>();
        for (PromptLog.Entry e : log.prompts()) {
            Instant raised = e.prompt().raisedAt();
            if (e.prompt().kind().equals("inspection") && !raised.isBefore(from) && raised.isBefore(to)) {
                silent.add(e.prompt().subject());
            }
        }
        breaches.addAll(silent);
        Status s = runs.isEmpty() ? Status.NOT_EVIDENCED : breaches.isEmpty() ? Status.MET : Status.BREACHED;
        int devices = runs.isEmpty() ? 0 : runs.get(runs.size() - 1).devices();
        String evidence = runs.isEmpty() ? "no inspection run journalled in the period"
                : runs.size() + " inspection runs, " + within + " of " + Math.max(0, runs.size() - 1)
                + " intervals within " + CHECK_LIMIT + (worst == null ? "" : ", longest " + worst) + "; "
                + devices + " devices at the last run; " + new LinkedHashSet<>(silent).size()
                + " devices found not heard from";
        return new Row("terminal-checks-24h", "Communication check with every terminal within 24 h (巡检)", s,
                runs.size(), within, worst, List.copyOf(breaches), evidence);
    }

    /**
     * The row {@code fault-statistics-24h} (GA 1383 故障统计: the running state counted at least every 24 h): each
     * inspection run counts the supervised devices and those not heard from within its period (在线数, 定时报告异常数)
     * and journals the figures, so the runs of the period, never more than {@link #CHECK_LIMIT} apart, evidence it;
     * a longer gap is a breach. Unlike {@link #terminalChecks}, a silent device found is not a breach here: it is
     * what the statistics are for (it is prompted, and breaches that row).
     *
     * @param log  the journalled inspection runs
     * @param from the start, inclusive
     * @param to   the end, exclusive
     * @return the row
     */
    public static Row faultStatistics(PromptLog log, Instant from, Instant to) {
        List<PromptLog.Inspection> runs = log.inspections().stream()
                .filter(i -> !i.at().isBefore(from) && i.at().isBefore(to)).toList();
        List<String> gaps = new ArrayList<>();
        Duration worst = null;
        long within = 0;
        for (int i = 1; i < runs.size(); i++) {
            Duration gap = Duration.between(runs.get(i - 1).at(), runs.get(i).at());
            worst = worst == null || gap.compareTo(worst) > 0 ? gap : worst;
            if (gap.compareTo(CHECK_LIMIT) > 0) {
                gaps.add("no statistics from " + runs.get(i - 1).at() + " to " + runs.get(i).at());
            } else {
                within++;
            }
        }
        Status s = runs.isEmpty() ? Status.NOT_EVIDENCED : gaps.isEmpty() ? Status.MET : Status.BREACHED;
        String evidence;
        if (runs.isEmpty()) {
            evidence = "no statistics run journalled in the period";
        } else {
            PromptLog.Inspection last = runs.get(runs.size() - 1);
            evidence = runs.size() + " statistics runs, " + within + " of " + (runs.size() - 1) + " intervals within "
                    + CHECK_LIMIT + (worst == null ? "" : ", longest " + worst) + "; the last counted "
                    + last.devices() + " devices, " + (last.devices() - last.silent()) + " heard from, "
                    + last.silent() + " not heard from";
        }
        return new Row("fault-statistics-24h", "Fault statistics at least every 24 h (故障统计)", s, runs.size(),
                within, worst, gaps, evidence);
    }
}
