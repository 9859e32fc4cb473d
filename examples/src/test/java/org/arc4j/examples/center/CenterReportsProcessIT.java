package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GA 1383 compliance report of the packaged centre as its own JVM, over a period seeded with real DC-09 alarms
 * worked through the API: each time-limit row matches the figures this test computes by hand from the cases'
 * steps; the report and the quality statistics are the same after a SIGKILL and restart; the CSV parses back to
 * the same rows and the PDF's text, read by poppler's {@code pdftotext} (Debian package poppler-utils), names every
 * row with its verdict. A customer with open cases cannot be deleted. Weak passwords (a new user's, an
 * administrator's reset) are refused with 400 and counted in the report from the audit log; maintenance work orders
 * are refused by field, listed overdue past their limit, sampled, kept across the restart and evidence the repair
 * rows.
 */
class CenterReportsProcessIT {
    private static final String ADMIN_PASSWORD = "Tn5!wQz8#Hb3-mKc";
    private static final Map<String, String> ENV = Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD);
    private static final Map<String, Duration> LIMITS = Map.ofEntries(
            Map.entry("response-ip", Duration.ofSeconds(4)), Map.entry("response-pstn", Duration.ofSeconds(20)),
            Map.entry("response-wireless", Duration.ofSeconds(5)),
            Map.entry("verification-video-audio", Duration.ofMinutes(1)),
            Map.entry("verification-phone", Duration.ofMinutes(5)),
            Map.entry("forwarding-ip", Duration.ofSeconds(4)), Map.entry("forwarding-pstn", Duration.ofSeconds(20)),
            Map.entry("forwarding-wireless", Duration.ofSeconds(5)),
            Map.entry("forwarding-phone", Duration.ofMinutes(2)),
            Map.entry("guard-departure", Duration.ofMinutes(2)));

    @TempDir
    Path dir;
    private final SystemScheduler scheduler = new SystemScheduler();
    private final List<CenterProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.forEach(CenterProcess::close);
        scheduler.close();
    }

    private CenterProcess start(Path data) throws Exception {
        CenterProcess p = CenterProcess.start(data, ENV, "--config", Path.of("config/center.yaml").toString());
        processes.add(p);
        return p;
    }

    private static ObjectNode json() {
        return CenterClient.JSON.createObjectNode();
    }

    private static ObjectNode action(String a) {
        return json().put("action", a);
    }

    @Test
    void complianceReportMatchesHandFiguresSurvivesRestartAndIsExportedAsCsvAndPdf() throws Exception {
        RealPeers.requirePrograms("poppler-utils", "pdftotext");
        Path data = dir.resolve("data");
        CenterProcess p = start(data);
        CenterClient api = new CenterClient(p.base());
        assertThat(api.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        // two days back: the work order reported 30 h ago falls in the period
        Instant from = Instant.now().minus(Duration.ofDays(2));
        // case work is an operator's (the administrator may not take cases)
        assertThat(api.call("POST", "/api/users", json().put("username", "zhao").put("password", "Init-Pass-5274!r")
                .put("role", "operator")).status()).isEqualTo(201);
        CenterClient op = new CenterClient(p.base());
        op.login("zhao", "Init-Pass-5274!r");
        assertThat(op.call("PUT", "/api/users/zhao/password", json().put("current", "Init-Pass-5274!r")
                .put("password", "Shift-Key-8391?m")).status()).isEqualTo(200);
        assertThat(op.login("zhao", "Shift-Key-8391?m").status()).isEqualTo(200);

        InetSocketAddress to = new InetSocketAddress("127.0.0.1", p.dc09Tcp);
        try (Dc09Transmitter aes = Dc09Transmitter.builder(scheduler).path(Dc09Path.tcp(to)).account("1234")
                .key(Dc09Key.ofHex(ReferenceCenterTest.KEY)).build();
             Dc09Transmitter plain = Dc09Transmitter.builder(scheduler).path(Dc09Path.tcp(to)).account("5678")
                     .build()) {
            for (String m : List.of("#1234|NBA002", "#1234|NPA003")) {
                assertThat(aes.sendSia(m).toCompletableFuture().get(20, TimeUnit.SECONDS))
                        .isInstanceOf(Dc09SendResult.Acknowledged.class);
            }
            assertThat(plain.sendSia("#5678|NFA010").toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
        }
        JsonNode queue = api.await("/api/cases", b -> b.path("cases").size() == 3).path("cases");
        Map<String, String> byCategory = new HashMap<>();
        queue.forEach(c -> byCategory.put(c.path("category").asText(), c.path("id").asText()));
        for (String id : byCategory.values()) {
            assertThat(op.call("POST", "/api/cases/" + id + "/displayed", null).status()).isEqualTo(200);
            ok(op, id, action("take"));
        }
        // a drill from the console: handled as a case, left out of the report (the sums below are of the 3 alarms)
        assertThat(op.call("POST", "/api/drills", json().put("account", "1234")).status()).isEqualTo(403);
        CenterClient.Reply drill = api.call("POST", "/api/drills", json().put("account", "1234")
                .put("category", "intrusion").put("zone", "009"));
        assertThat(drill.status()).as(drill.body().toString()).isEqualTo(201);
        String drillCase = null;
        for (JsonNode c : api.await("/api/cases", b -> b.path("cases").size() == 4).path("cases")) {
            if (c.path("drill").asBoolean()) {
                drillCase = c.path("id").asText();
            }
        }
        assertThat(drillCase).isNotNull().isNotIn(byCategory.values());
        String intrusion = byCategory.get("INTRUSION");
        String panic = byCategory.get("EMERGENCY");
        String fire = byCategory.get("FIRE");
        ok(op, intrusion, action("verify").put("method", "video").put("result", "real"));
        ok(op, intrusion, action("dispatch").put("guard", "guard"));
        ok(op, intrusion, action("depart"));
        ok(op, panic, action("verify").put("method", "video").put("result", "real"));
        ok(op, panic, action("forward").put("recipient", "police").put("channel", "ip"));
        ok(op, panic, action("confirm-forward").put("recipient", "police"));
        // fire went to the police at once by rule (wireless); the operator confirms it
        ok(op, fire, action("confirm-forward").put("recipient", "police"));
        ok(op, fire, action("verify").put("method", "phone").put("result", "real"));
        // a customer with open cases stays
        assertThat(api.call("DELETE", "/api/admin/customers/C0001", null).status()).isEqualTo(409);
        // and an account with open cases too
        assertThat(api.call("DELETE", "/api/admin/accounts/1234", null).status()).isEqualTo(409);

        // nothing reports the police's receipt here: both forwarding clocks run out (GA 1383: 4 s over IP) and the
        // centre records the breaches; the figures are taken once they are in
        for (String id : List.of(panic, fire)) {
            api.await("/api/cases/" + id, c -> {
                for (JsonNode step : c.path("steps")) {
                    if (step.path("step").asText().equals("SLA_BREACH")
                            && step.path("details").path("step").asText().equals("FORWARDING")) {
                        return true;
                    }
                }
                return false;
            });
        }
        Map<String, Hand> hand = new HashMap<>();
        LIMITS.keySet().forEach(k -> hand.put(k, new Hand()));
        for (String id : byCategory.values()) {
            measure(api.get("/api/cases/" + id).body(), hand);
        }
        ok(op, intrusion, action("close").put("result", "guard found nothing"));
        assertThat(api.call("POST", "/api/missed-alarms", json().put("description", "panel 9 never reached us"))
                .status()).isIn(200, 201);
        // platform faults: one repaired in 11 h, one in 12 h 30 min (GA 1383: 12 h)
        Instant now = Instant.now();
        assertThat(api.call("POST", "/api/faults", json().put("id", "P1").put("classification", "server")
                .put("platform", true).put("openedAt", now.minus(Duration.ofHours(12)).toString())
                .put("closedAt", now.minus(Duration.ofHours(1)).toString())).status()).isEqualTo(201);
        assertThat(api.call("POST", "/api/faults", json().put("id", "P2").put("classification", "network")
                .put("platform", true).put("openedAt", now.minus(Duration.ofHours(13)).toString())
                .put("closedAt", now.minus(Duration.ofMinutes(30)).toString())).status()).isEqualTo(201);
        assertThat(api.call("POST", "/api/maintenance/backups", json().put("reason", "daily")).status())
                .isEqualTo(201);
        // weak passwords: a new user's and an administrator's reset, both refused with 400 and audited
        assertThat(api.call("POST", "/api/users", json().put("username", "qian").put("password", "12345678")
                .put("role", "operator")).status()).isEqualTo(400);
        assertThat(api.call("PUT", "/api/users/zhao/password", json().put("password", "password")).status())
                .isEqualTo(400);
        // maintenance work orders (GA 1383 硬件设备维护): a front-end repair open for 30 h (overdue), one repaired in
        // 20 h, a platform repair done in 5 h; then a sampling check of the closed front-end repairs (20 %)
        CenterClient.Reply bad = api.call("POST", "/api/admin/work-orders", json().put("kind", "front-end"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("field").asText()).isEqualTo("device");
        assertThat(op.call("POST", "/api/admin/work-orders", json().put("kind", "platform").put("device", "x"))
                .status()).isEqualTo(403);
        String wo1 = workOrder(api, json().put("kind", "front-end").put("device", "DC09/1234")
                .put("reportedAt", now.minus(Duration.ofHours(30)).toString()));
        String wo2 = workOrder(api, json().put("kind", "front-end").put("device", "DC09/5678")
                .put("reportedAt", now.minus(Duration.ofHours(21)).toString()));
        String wo3 = workOrder(api, json().put("kind", "platform").put("device", "receiver-tcp")
                .put("reportedAt", now.minus(Duration.ofHours(5)).toString()));
        assertThat(api.call("POST", "/api/admin/work-orders/" + wo2 + "/close", json().put("note", "new battery")
                .put("repairedAt", now.minus(Duration.ofHours(1)).toString())).status()).isEqualTo(200);
        CenterClient.Reply closed = api.call("POST", "/api/admin/work-orders/" + wo3 + "/close",
                json().put("note", "restarted the receiver"));
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.body().path("withinLimit").asBoolean()).isTrue();
        assertThat(api.call("POST", "/api/admin/work-orders/" + wo3 + "/close", json().put("note", "again"))
                .status()).isEqualTo(409);
        assertThat(api.call("POST", "/api/admin/work-orders/WO-99/close", json().put("note", "x")).status())
                .isEqualTo(404);
        JsonNode sampling = api.call("POST", "/api/admin/work-orders", json().put("kind", "sampling")
                .put("basis", "repairs")).body();
        assertThat(sampling.path("population").toString()).isEqualTo("[\"" + wo2 + "\"]");
        assertThat(sampling.path("sample").toString()).isEqualTo("[\"" + wo2 + "\"]");
        JsonNode orders = api.get("/api/admin/work-orders").body();
        assertThat(orders.path("overdue").toString()).isEqualTo("[\"" + wo1 + "\"]");
        assertThat(orders.path("workOrders")).hasSize(4);
        // two hot-standby switchover tests recorded by the administrator, 2 h apart; bad ones refused by field
        for (int h : List.of(3, 1)) {
            assertThat(api.call("POST", "/api/maintenance/switchovers", json().put("from", "node-a").put("to",
                    "node-b").put("tookMs", 1500).put("at", now.minus(Duration.ofHours(h)).toString())).status())
                    .isEqualTo(201);
        }
        assertThat(api.call("POST", "/api/maintenance/switchovers", json().put("to", "node-b")).body()
                .path("field").asText()).isEqualTo("from");
        assertThat(api.call("POST", "/api/maintenance/switchovers", json().put("from", "a").put("to", "b")
                .put("at", now.plus(Duration.ofHours(1)).toString())).body().path("field").asText()).isEqualTo("at");
        assertThat(op.call("POST", "/api/maintenance/switchovers", json().put("from", "a").put("to", "b"))
                .status()).isEqualTo(403);
        Instant until = Instant.now().plusSeconds(60);
        String period = "?from=" + from + "&to=" + until;

        JsonNode report = api.get("/api/compliance" + period).body();
        Map<String, JsonNode> rows = rows(report);
        for (Map.Entry<String, Duration> l : LIMITS.entrySet()) {
            JsonNode row = rows.get(l.getKey());
            Hand h = hand.get(l.getKey());
            assertThat(row.path("count").asLong()).as(l.getKey()).isEqualTo(h.count);
            assertThat(row.path("withinLimit").asLong()).as(l.getKey()).isEqualTo(h.within);
            assertThat(row.path("worstMs").isNull() ? null : row.path("worstMs").asLong()).as(l.getKey())
                    .isEqualTo(h.worstMs < 0 ? null : h.worstMs);
            List<String> breaches = new ArrayList<>();
            row.path("breaches").forEach(b -> breaches.add(b.asText()));
            assertThat(breaches).as(l.getKey()).containsExactlyInAnyOrderElementsOf(h.breaches);
            assertThat(row.path("status").asText()).as(l.getKey()).isEqualTo(h.count == 0 ? "not-evidenced"
                    : h.breaches.isEmpty() ? "met" : "breached");
        }
        assertThat(rows.get("response-ip").path("count").asLong() + rows.get("response-wireless").path("count")
                .asLong() + rows.get("response-pstn").path("count").asLong()).isEqualTo(3);
        assertThat(rows.get("verification-video-audio").path("count").asLong()).isEqualTo(2);
        assertThat(rows.get("verification-phone").path("count").asLong()).isEqualTo(1);
        assertThat(rows.get("forwarding-ip").path("status").asText()).isEqualTo("breached");
        assertThat(rows.get("forwarding-ip").path("breaches")).hasSize(2);
        assertThat(rows.get("guard-departure").path("count").asLong()).isEqualTo(1);
        assertThat(rows.get("missed-alarms").path("status").asText()).isEqualTo("breached");
        JsonNode platform = rows.get("platform-repair-12h");
        assertThat(platform.path("status").asText()).isEqualTo("breached");
        // P1 and the platform work order within 12 h, P2 not
        assertThat(platform.path("count").asLong()).isEqualTo(3);
        assertThat(platform.path("withinLimit").asLong()).isEqualTo(2);
        assertThat(platform.path("worstMs").asLong()).isEqualTo(Duration.ofMinutes(750).toMillis());
        assertThat(platform.path("breaches").get(0).asText()).isEqualTo("P2");
        assertThat(rows.get("backups").path("status").asText()).isEqualTo("met");
        assertThat(rows.get("retention").path("status").asText()).isEqualTo("met");
        JsonNode standby = rows.get("hot-standby-30d");
        assertThat(standby.path("status").asText()).as(standby.toString()).isEqualTo("met");
        assertThat(standby.path("count").asLong()).isEqualTo(2);
        assertThat(standby.path("worstMs").asLong()).isEqualTo(Duration.ofHours(2).toMillis());
        // the operator's case views and actions above are the work records (GA 1383 值机录音录像)
        JsonNode work = rows.get("work-recordings");
        assertThat(work.path("status").asText()).as(work.toString()).isEqualTo("met");
        assertThat(work.path("count").asLong()).as(work.toString()).isPositive();
        assertThat(work.path("evidence").asText()).contains("operator actions kept 180 d");
        // the front-end order open for 30 h breaches the 24 h repair rate
        assertThat(rows.get("repair-24h").path("status").asText()).isEqualTo("breached");
        JsonNode weak = rows.get("weak-passwords");
        assertThat(weak.path("status").asText()).isEqualTo("met");
        assertThat(weak.path("withinLimit").asLong()).as(weak.toString()).isEqualTo(2);
        JsonNode stats = api.get("/api/stats" + period).body();
        JsonNode history = api.get("/api/history" + period + "&state=CLOSED").body().path("cases");
        assertThat(history.size()).isEqualTo(1);
        assertThat(history.get(0).path("case").asText()).isEqualTo(intrusion);
        assertThat(history.get(0).path("category").asText()).isEqualTo("INTRUSION");
        assertThat(history.get(0).path("customer").asText()).isEqualTo("C0001");
        assertThat(api.get("/api/history" + period + "&category=fire&operator=zhao").body().path("cases")
                .findValuesAsText("case")).containsExactly(fire);
        assertThat(api.get("/api/history" + period + "&operator=nobody").body().path("cases")).isEmpty();
        // stored events searched by time, account, category and case state
        JsonNode found = api.get("/api/events/search" + period + "&account=1234&category=intrusion").body();
        assertThat(found.path("events").findValuesAsText("zone")).containsExactlyInAnyOrder("002", "009");
        assertThat(api.get("/api/events/search" + period + "&category=fire&state=CLOSED").body().path("count")
                .asInt()).isZero();
        assertThat(api.get("/api/events/search" + period + "&category=intrusion&state=CLOSED").body()
                .path("events").findValuesAsText("zone")).containsExactly("002");
        assertThat(api.get("/api/events/search?category=castle").status()).isEqualTo(400);
        JsonNode drills = api.get("/api/history" + period + "&customer=C0001").body().path("cases");
        List<String> drillFlags = new ArrayList<>();
        drills.forEach(c -> drillFlags.add(c.path("case").asText() + "=" + c.path("drill").asText()));
        assertThat(drillFlags).contains(drillCase + "=true", intrusion + "=false", panic + "=false");

        p.kill();
        CenterProcess again = start(data);
        CenterClient after = new CenterClient(again.base());
        assertThat(after.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        assertThat(after.get("/api/compliance" + period).body()).isEqualTo(report);
        assertThat(after.get("/api/stats" + period).body()).isEqualTo(stats);
        assertThat(after.get("/api/history" + period + "&state=CLOSED").body().path("cases")).isEqualTo(history);
        assertThat(after.get("/api/admin/work-orders").body().path("workOrders")).isEqualTo(orders.path("workOrders"));

        // CSV: parses back to the JSON's rows
        List<List<String>> csv = parseCsv(new String(download(after, "/api/reports/compliance.csv" + period),
                StandardCharsets.UTF_8));
        assertThat(csv.get(0)).containsExactly("id", "requirement", "status", "count", "within_limit", "worst_ms",
                "breaches", "evidence");
        assertThat(csv).hasSize(report.path("rows").size() + 1);
        for (int i = 1; i < csv.size(); i++) {
            JsonNode row = report.path("rows").get(i - 1);
            List<String> cells = csv.get(i);
            assertThat(cells.get(0)).isEqualTo(row.path("id").asText());
            assertThat(cells.get(1)).isEqualTo(row.path("requirement").asText());
            assertThat(cells.get(2)).isEqualTo(row.path("status").asText());
            assertThat(cells.get(3)).isEqualTo(row.path("count").asText());
            assertThat(cells.get(4)).isEqualTo(row.path("withinLimit").asText());
            assertThat(cells.get(5)).isEqualTo(row.path("worstMs").isNull() ? "" : row.path("worstMs").asText());
        }

        // PDF: poppler reads every row's id and verdict back
        Path pdf = dir.resolve("compliance.pdf");
        Files.write(pdf, download(after, "/api/reports/compliance.pdf" + period));
        Process pt = new ProcessBuilder("pdftotext", "-layout", pdf.toString(), "-").redirectErrorStream(true).start();
        String text = new String(pt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pt.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pt.exitValue()).as(text).isZero();
        assertThat(text).contains("GA 1383-2017 compliance report").contains("Period: " + from);
        String flat = text.replaceAll("\\s+", " ");
        // the Chinese section names too, in the embedded CJK font (Debian fonts-droid-fallback, installed by .ci/run)
        assertThat(flat).contains("within 4 s (报警响应)", "(值机录音录像)");
        for (JsonNode row : report.path("rows")) {
            assertThat(flat).contains(row.path("id").asText() + " | ");
            assertThat(flat).contains("| " + row.path("status").asText() + " | " + row.path("count").asText());
        }
        // the downloads are audited
        JsonNode exports = after.get("/api/audit?action=data-export").body().path("entries");
        Set<String> targets = new LinkedHashSet<>();
        exports.forEach(e -> targets.add(e.path("target").asText()));
        assertThat(targets).contains("report:compliance.csv", "report:compliance.pdf");
    }

    private static String workOrder(CenterClient api, ObjectNode body) throws Exception {
        CenterClient.Reply r = api.call("POST", "/api/admin/work-orders", body);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().path("id").asText();
    }

    private static void ok(CenterClient api, String id, ObjectNode body) throws Exception {
        CenterClient.Reply r = api.call("POST", "/api/cases/" + id + "/actions", body);
        assertThat(r.status()).as(body + " " + r.body()).isEqualTo(200);
    }

    /** One row's figures, computed here from the case view's steps. */
    private static final class Hand {
        long count;
        long within;
        long worstMs = -1;
        final Set<String> breaches = new LinkedHashSet<>();

        void add(String caseId, Duration measured, Duration limit, boolean breachRecorded) {
            count++;
            if (breachRecorded || measured == null || measured.compareTo(limit) > 0) {
                if (breachRecorded || measured != null) {
                    breaches.add(caseId);
                }
            } else {
                within++;
            }
            if (measured != null) {
                worstMs = Math.max(worstMs, measured.toMillis());
            }
        }
    }

    private static void measure(JsonNode c, Map<String, Hand> hand) {
        String id = c.path("id").asText();
        Map<String, Instant> starts = new HashMap<>();
        Map<String, String> rowOf = new HashMap<>();
        Map<String, Duration> measured = new HashMap<>();
        Set<String> breachedSteps = new LinkedHashSet<>();
        String response = "response-" + c.path("transport").asText().toLowerCase(java.util.Locale.ROOT);
        starts.put("RESPONSE", Instant.parse(c.path("responseStart").asText()));
        rowOf.put("RESPONSE", response);
        for (JsonNode s : c.path("steps")) {
            Instant at = Instant.parse(s.path("at").asText());
            JsonNode d = s.path("details");
            switch (s.path("step").asText()) {
                case "PRESENTED" -> measured.putIfAbsent("RESPONSE", Duration.between(starts.get("RESPONSE"), at));
                case "VERIFICATION_STARTED" -> {
                    starts.put("VERIFICATION", at);
                    rowOf.put("VERIFICATION", d.path("method").asText().equals("PHONE") ? "verification-phone"
                            : "verification-video-audio");
                }
                case "VERIFIED" -> measured.put("VERIFICATION", Duration.between(starts.get("VERIFICATION"), at));
                case "FORWARDED" -> {
                    starts.put("FORWARDING", at);
                    rowOf.put("FORWARDING", "forwarding-" + d.path("channel").asText().toLowerCase(
                            java.util.Locale.ROOT));
                }
                case "FORWARD_DELIVERED" -> measured.putIfAbsent("FORWARDING", Duration.between(starts.get("FORWARDING"), at));
                case "DISPATCH_ORDERED" -> {
                    starts.put("GUARD_DEPARTURE", at);
                    rowOf.put("GUARD_DEPARTURE", "guard-departure");
                }
                case "GUARD_DEPARTED" -> measured.put("GUARD_DEPARTURE",
                        Duration.between(starts.get("GUARD_DEPARTURE"), at));
                case "SLA_BREACH" -> breachedSteps.add(d.path("step").asText());
                default -> {
                }
            }
        }
        for (Map.Entry<String, String> e : rowOf.entrySet()) {
            hand.get(e.getValue()).add(id, measured.get(e.getKey()), LIMITS.get(e.getValue()),
                    breachedSteps.contains(e.getKey()));
        }
    }

    private static Map<String, JsonNode> rows(JsonNode report) {
        Map<String, JsonNode> m = new HashMap<>();
        report.path("rows").forEach(r -> m.put(r.path("id").asText(), r));
        return m;
    }

    private static byte[] download(CenterClient api, String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Authorization", "Bearer " + api.token()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        return r.body();
    }

    /** RFC 4180: quoted cells with doubled quotes, CRLF rows. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(ch);
            }
        }
        return rows;
    }
}
