package org.arc4j.examples.center.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.stats.FaultTicket;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.store.Journal;
import org.arc4j.core.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work orders over a real journal, on a manual clock: limits, overdue, the ledger's tickets, sampling, replay. */
class WorkOrdersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final Actor BY = Actor.of("admin", "127.0.0.1");

    @TempDir
    Path dir;

    private static ObjectNode body() {
        return JSON.createObjectNode();
    }

    @Test
    void repairsAreTimedAgainstTheirLimitsCountedInTheLedgerAndReplayed() {
        ManualClock clock = new ManualClock(T0);
        List<ObjectNode> before;
        try (Journal journal = Journal.builder(dir.resolve("journal")).open()) {
            QualityLedger ledger = QualityLedger.open(journal, clock);
            WorkOrders w = WorkOrders.open(journal, ledger, new AuditLog(journal, clock), clock);
            ObjectNode fe = w.open(body().put("kind", "front-end").put("device", "DC09/1234"), BY);
            ObjectNode pf = w.open(body().put("kind", "platform").put("device", "receiver-1"), BY);
            assertThat(fe.path("id").asText()).isEqualTo("WO-1");
            assertThat(fe.path("limitHours").asLong()).isEqualTo(24);
            assertThat(pf.path("limitHours").asLong()).isEqualTo(12);

            clock.advance(Duration.ofHours(13));
            assertThat(w.overdue(clock.instant())).containsExactly("WO-2");
            clock.advance(Duration.ofHours(12));
            assertThat(w.overdue(clock.instant())).containsExactly("WO-1", "WO-2");

            ObjectNode closed = w.close("WO-1", body().put("note", "replaced the battery")
                    .put("repairedAt", T0.plus(Duration.ofHours(20)).toString()), BY);
            assertThat(closed.path("withinLimit").asBoolean()).isTrue();
            assertThat(closed.path("repairSeconds").asLong()).isEqualTo(Duration.ofHours(20).toSeconds());
            assertThat(w.overdue(clock.instant())).containsExactly("WO-2");
            assertThatThrownBy(() -> w.close("WO-1", body().put("note", "again"), BY))
                    .isInstanceOf(AdminStore.Conflict.class);

            // the ledger holds the same tickets, so the compliance rows are evidenced by the orders
            assertThat(ledger.faults()).extracting(FaultTicket::id).containsExactly("WO-1", "WO-2");
            assertThat(ledger.faults().get(0).repairedWithin24h()).isTrue();
            assertThat(ledger.faults().get(1).platform()).isTrue();
            ComplianceReport r = ComplianceReport.build(T0, clock.instant(), List.of(),
                    ledger.report(T0, clock.instant()), ledger.faults(), List.of(), Optional.empty());
            ComplianceReport.Row platform = r.rows().stream().filter(x -> x.id().equals("platform-repair-12h"))
                    .findFirst().orElseThrow();
            assertThat(platform.status()).isEqualTo(ComplianceReport.Status.BREACHED);
            assertThat(platform.breaches()).containsExactly("WO-2");
            before = w.list(clock.instant());
        }
        try (Journal journal = Journal.builder(dir.resolve("journal")).open()) {
            WorkOrders again = WorkOrders.open(journal, QualityLedger.open(journal, clock),
                    new AuditLog(journal, clock), clock);
            // the same JSON text (numbers read back may be of another node class)
            assertThat(again.list(clock.instant()).toString()).isEqualTo(before.toString());
        }
    }

    @Test
    void badFieldsAreRefusedByName() {
        ManualClock clock = new ManualClock(T0);
        try (Journal journal = Journal.builder(dir.resolve("journal")).open()) {
            QualityLedger ledger = QualityLedger.open(journal, clock);
            WorkOrders w = WorkOrders.open(journal, ledger, new AuditLog(journal, clock), clock);
            assertThatThrownBy(() -> w.open(body().put("kind", "coffee"), BY))
                    .isInstanceOfSatisfying(AdminValidation.FieldError.class, e -> assertThat(e.field())
                            .isEqualTo("kind"));
            assertThatThrownBy(() -> w.open(body().put("kind", "front-end"), BY))
                    .isInstanceOfSatisfying(AdminValidation.FieldError.class, e -> assertThat(e.field())
                            .isEqualTo("device"));
            assertThatThrownBy(() -> w.open(body().put("kind", "platform").put("device", "x")
                    .put("reportedAt", T0.plusSeconds(60).toString()), BY))
                    .isInstanceOfSatisfying(AdminValidation.FieldError.class, e -> assertThat(e.field())
                            .isEqualTo("reportedAt"));
            assertThatThrownBy(() -> w.open(body().put("kind", "sampling").put("basis", "repairs"), BY))
                    .isInstanceOfSatisfying(AdminValidation.FieldError.class, e -> assertThat(e.field())
                            .isEqualTo("basis"));
            // a ticket entered by hand under the id the next order would take: the order takes the next number
            ledger.openFault("WO-1", T0, "hand", false).toCompletableFuture().join();
            assertThat(w.open(body().put("kind", "front-end").put("device", "d"), BY).path("id").asText())
                    .isEqualTo("WO-2");
            assertThat(w.open(body().put("kind", "platform").put("device", "p"), BY).path("id").asText())
                    .isEqualTo("WO-3");
            assertThatThrownBy(() -> w.close("WO-2", body(), BY))
                    .isInstanceOfSatisfying(AdminValidation.FieldError.class, e -> assertThat(e.field())
                            .isEqualTo("note"));
            assertThat(w.list(clock.instant())).hasSize(2);
        }
    }

    @Test
    void samplesAreAtLeastTheRateAndDrawnAgainFromIdAndPopulation() {
        ManualClock clock = new ManualClock(T0);
        try (Journal journal = Journal.builder(dir.resolve("journal")).open()) {
            WorkOrders w = WorkOrders.open(journal, QualityLedger.open(journal, clock),
                    new AuditLog(journal, clock), clock);
            for (int i = 0; i < 6; i++) {
                w.open(body().put("kind", "front-end").put("device", "panel-" + i), BY);
                w.close("WO-" + (i + 1), body().put("note", "fixed"), BY);
            }
            ObjectNode s = w.open(body().put("kind", "sampling").put("basis", "repairs"), BY);
            assertThat(s.path("population")).hasSize(6);
            // ceil(20 % of 6) = 2
            assertThat(s.path("sample")).hasSize(2);
            List<String> population = new ArrayList<>();
            s.path("population").forEach(p -> population.add(p.asText()));
            List<String> sample = new ArrayList<>();
            s.path("sample").forEach(p -> sample.add(p.asText()));
            assertThat(WorkOrders.draw(population, 0.20, WorkOrders.seed("WO-7"))).isEqualTo(sample);
            assertThat(s.path("seed").asLong()).isEqualTo(WorkOrders.seed("WO-7"));
            // the repairs sampled once are not sampled again
            assertThatThrownBy(() -> w.open(body().put("kind", "sampling").put("basis", "repairs"), BY))
                    .isInstanceOf(AdminValidation.FieldError.class);

            ObjectNode change = body().put("kind", "sampling").put("basis", "change");
            var items = change.putArray("items");
            for (int i = 0; i < 21; i++) {
                items.add("cam-" + i);
            }
            // ceil(10 % of 21) = 3
            assertThat(w.open(change, BY).path("sample")).hasSize(3);
        }
        assertThat(WorkOrders.draw(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), 0.10, 1))
                .hasSize(1);
    }
}
