package org.arc4j.examples.center.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.RetentionPolicy;
import org.arc4j.examples.center.admin.ComplianceReport.Row;
import org.arc4j.examples.center.admin.ComplianceReport.Status;

/**
 * Two rows of the compliance report measured from the journal's {@code OPERATOR_ACTION} records:
 * <ul>
 *   <li>{@code work-recordings} (GA 1383 记录存储与播放: 操作人员的工作录音录像): the operators' work records of the
 *       period (views and actions on cases, screen-recording chunks written by {@code WorkRecords}), each chunk's
 *       file checked against the size and SHA-256 its record holds, and the store's retention of operator actions
 *       against 180 days;</li>
 *   <li>{@code hot-standby-30d} (双机热备: switchover tested at least every 30 days): the switchovers recorded with
 *       {@link #recordSwitchover} — by an administrator after a test ({@code POST /api/maintenance/switchovers}) or by
 *       a cluster node that took over from another.</li>
 * </ul>
 * Stateless; reading replays the journal's operator actions (a report, not a hot path).
 */
public final class WorkEvidence {
    /** The subject of a switchover record. */
    public static final String SWITCHOVER = "center/switchover";
    /** The longest time between two switchover tests. */
    public static final Duration SWITCHOVER_EVERY = Duration.ofDays(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WORK_KINDS = Set.of("view", "action", "screen-chunk");

    private WorkEvidence() {
    }

    /**
     * A switchover as recorded.
     *
     * @param at     when the standby took over
     * @param from   the node that handed over (or failed)
     * @param to     the node that took over
     * @param tookMs how long the centre had no leader, milliseconds, or -1 when unknown
     * @param test   true for a planned test, false for a real failure
     * @param by     who recorded it (a user, or the node)
     */
    public record Switchover(Instant at, String from, String to, long tookMs, boolean test, String by) {
        /** @return as JSON */
        public ObjectNode toJson() {
            return JsonNodeFactory.instance.objectNode().put("at", at.toString()).put("from", from).put("to", to)
                    .put("tookMs", tookMs).put("test", test).put("by", by);
        }
    }

    /**
     * Journals a switchover.
     *
     * @param journal the store
     * @param clock   the time it is recorded at
     * @param s       the switchover
     * @return completes when durable
     */
    public static CompletionStage<Long> recordSwitchover(RecordStore journal, Clock clock, Switchover s) {
        ObjectNode n = s.toJson().put("kind", "switchover");
        return journal.append(new NewRecord(RecordType.OPERATOR_ACTION, 1, clock.instant(), SWITCHOVER,
                n.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param journal the store
     * @return every switchover it holds, oldest first
     */
    public static List<Switchover> switchovers(RecordStore journal) {
        List<Switchover> out = new ArrayList<>();
        journal.replay(1, Set.of(RecordType.OPERATOR_ACTION), r -> {
            if (!SWITCHOVER.equals(r.subject())) {
                return;
            }
            JsonNode n = read(r.payload());
            if (n != null && "switchover".equals(n.path("kind").asText())) {
                out.add(new Switchover(Instant.parse(n.path("at").asText()), n.path("from").asText(),
                        n.path("to").asText(), n.path("tookMs").asLong(-1), n.path("test").asBoolean(),
                        n.path("by").asText()));
            }
        });
        out.sort(java.util.Comparator.comparing(Switchover::at));
        return out;
    }

    /**
     * The row {@code hot-standby-30d}: not evidenced when no switchover is recorded up to the end of the period (one
     * machine has no standby to switch to); breached when, from the first recorded switchover on, more than 30 days
     * passed without one inside the period (the gap up to the period's end, or up to {@code now} when that is
     * earlier, counts too), each such gap named by its end; met otherwise. The row's worst time is the longest gap
     * between two switchovers (the last one before the period counting as well), so that the same period gives the
     * same figures whenever it is read.
     *
     * @param switchovers the recorded switchovers, oldest first
     * @param from        the period's start
     * @param to          the period's end
     * @param now         the present (a period reaching into the future is measured up to now)
     * @return the row
     */
    public static Row switchover(List<Switchover> switchovers, Instant from, Instant to, Instant now) {
        String req = "Hot-standby switchover tested at least every 30 days (双机热备)";
        Instant end = now.isBefore(to) ? now : to;
        List<Instant> at = switchovers.stream().map(Switchover::at).filter(t -> t.isBefore(end)).sorted().toList();
        if (at.isEmpty()) {
            return new Row("hot-standby-30d", req, Status.NOT_EVIDENCED, 0, 0, null, List.of(),
                    "no switchover recorded: one machine on the embedded journal has no standby to switch to");
        }
        // the last switchover before the period counts as its start
        Instant previous = null;
        for (Instant t : at) {
            if (t.isBefore(from)) {
                previous = t;
            }
        }
        List<Instant> inPeriod = at.stream().filter(t -> !t.isBefore(from)).toList();
        List<String> late = new ArrayList<>();
        Duration worst = null;
        Instant last = previous;
        List<Instant> ends = new ArrayList<>(inPeriod);
        ends.add(end);
        for (Instant t : ends) {
            if (last != null) {
                Duration gap = Duration.between(last, t);
                // the time since the last one grows with the clock: it is a breach past 30 d, never the worst gap
                if (t != end && (worst == null || gap.compareTo(worst) > 0)) {
                    worst = gap;
                }
                if (gap.compareTo(SWITCHOVER_EVERY) > 0) {
                    late.add(t == end ? "none since " + last : "gap before " + t);
                }
            }
            last = t;
        }
        long tests = switchovers.stream().filter(s -> inPeriod.contains(s.at()) && s.test()).count();
        String evidence = inPeriod.size() + " switchovers in the period (" + tests + " planned tests)"
                + (worst == null ? "" : ", longest time between two " + worst);
        return new Row("hot-standby-30d", req, late.isEmpty() ? Status.MET : Status.BREACHED, inPeriod.size(),
                inPeriod.size(), worst, late, evidence);
    }

    /**
     * The row {@code work-recordings}: not evidenced when the period holds no work record; breached when a screen
     * chunk's file is missing or differs from its record, or operator actions are kept less than 180 days (the
     * breaches name the recordings); met otherwise.
     *
     * @param journal   the store
     * @param from      the period's start
     * @param to        the period's end
     * @param retention the store's retention policy, if known
     * @return the row
     */
    public static Row workRecordings(RecordStore journal, Instant from, Instant to,
                                     Optional<RetentionPolicy> retention) {
        String req = "Operators' work recordings kept (值机录音录像)";
        long[] views = new long[2];
        long[] chunks = new long[2];
        Set<String> broken = new LinkedHashSet<>();
        Set<String> recordings = new LinkedHashSet<>();
        journal.replay(1, Set.of(RecordType.OPERATOR_ACTION), r -> {
            if (r.at().isBefore(from) || !r.at().isBefore(to)) {
                return;
            }
            JsonNode n = read(r.payload());
            String kind = n == null ? "" : n.path("kind").asText();
            if (!WORK_KINDS.contains(kind)) {
                return;
            }
            if (!kind.equals("screen-chunk")) {
                views[kind.equals("view") ? 0 : 1]++;
                return;
            }
            chunks[0]++;
            chunks[1] += n.path("bytes").asLong();
            recordings.add(n.path("recording").asText());
            if (!intact(Path.of(n.path("file").asText()), n.path("bytes").asLong(), n.path("sha256").asText())) {
                broken.add(n.path("recording").asText());
            }
        });
        Duration kept = retention.flatMap(p -> p.retention(RecordType.OPERATOR_ACTION)).orElse(null);
        boolean keptLongEnough = kept == null || kept.compareTo(RetentionPolicy.ALARM_RECORDS) >= 0;
        long records = views[0] + views[1] + chunks[0];
        String evidence = views[0] + " case views and " + views[1] + " actions recorded, " + chunks[0]
                + " screen-recording chunks (" + chunks[1] + " bytes) of " + recordings.size() + " recordings"
                + (broken.isEmpty() ? ", every chunk file intact" : ", " + broken.size()
                + " recordings with missing or altered chunks") + "; operator actions kept "
                + (kept == null ? "forever" : kept.toDays() + " d") + ", those of police cases forever";
        Status s = records == 0 ? Status.NOT_EVIDENCED : broken.isEmpty() && keptLongEnough ? Status.MET
                : Status.BREACHED;
        List<String> breaches = new ArrayList<>(broken);
        if (!keptLongEnough) {
            breaches.add("retention " + kept.toDays() + " d");
        }
        return new Row("work-recordings", req, records == 0 && keptLongEnough ? Status.NOT_EVIDENCED : s, records,
                records - broken.size(), null, breaches, records == 0 ? "no work record in the period; " + evidence
                : evidence);
    }

    private static boolean intact(Path file, long size, String sha256) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) != size) {
                return false;
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)))
                    .equals(sha256);
        } catch (IOException | NoSuchAlgorithmException e) {
            return false;
        }
    }

    private static JsonNode read(byte[] payload) {
        try {
            JsonNode n = JSON.readTree(payload);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null; // an operator action of another shape
        }
    }
}
