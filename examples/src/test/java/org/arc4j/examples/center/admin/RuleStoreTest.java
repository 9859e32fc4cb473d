package org.arc4j.examples.center.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.arc4j.core.event.Category;
import org.arc4j.core.pipeline.ActionPlan;
import org.arc4j.core.pipeline.ForwardingRule;
import org.arc4j.core.pipeline.Rules;
import org.arc4j.core.pipeline.Severity;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.store.Journal;
import org.arc4j.core.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules over a real journal: the file's rules listed, changes applied at once, refused by field and replayed. */
class RuleStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Actor BY = Actor.of("admin", "127.0.0.1");
    private static final Rules FILE = new Rules(
            List.of(new ForwardingRule("forward-0", Set.of(Category.FIRE), false, "police", ForwardChannel.IP, true)),
            List.of(), List.of(new ActionPlan("plan-fire", Set.of(Category.FIRE), null, List.of("call"))));

    @TempDir
    Path dir;

    @Test
    void changesReachThePipelineAtOnceAndAgainAfterReopening() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-02T08:00:00Z"));
        List<Rules> applied = new ArrayList<>();
        List<String> hooks = new ArrayList<>();
        try (Journal journal = Journal.builder(dir.resolve("journal")).open()) {
            RuleStore s = RuleStore.open(journal, FILE, new AuditLog(journal, clock), clock, applied::add,
                    hooks::add);
            assertThat(applied).containsExactly(FILE);
            assertThat(s.rulesJson()).extracting(n -> n.path("name").asText()).containsExactly("forward-0");

            ObjectNode link = JSON.createObjectNode().put("type", "linkage").put("keyCustomersOnly", true);
            link.putArray("categories").add("intrusion");
            link.putArray("actions").add("lights-on");
            s.putRule("lights", link, BY);
            ObjectNode plan = JSON.createObjectNode().put("severity", "critical");
            plan.putArray("categories").add("fire");
            plan.putArray("steps").add("evacuate");
            s.putPlan("plan-fire", plan, BY);
            s.deleteRule("forward-0", BY);
            assertThatThrownBy(() -> s.deleteRule("forward-0", BY)).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(() -> s.putPlan("x", plan.deepCopy().putNull("steps"), BY))
                    .isInstanceOfSatisfying(AdminValidation.FieldError.class,
                            e -> assertThat(e.field()).isEqualTo("steps"));
            assertThat(hooks).containsExactly("before put rule lights", "after put rule lights",
                    "before put action-plan plan-fire", "after put action-plan plan-fire",
                    "before delete rule forward-0", "after delete rule forward-0");
            Rules now = applied.get(applied.size() - 1);
            assertThat(now.forwarding()).isEmpty();
            assertThat(now.linkage()).singleElement().satisfies(l -> {
                assertThat(l.keyCustomersOnly()).isTrue();
                assertThat(l.actions()).containsExactly("lights-on");
            });
            assertThat(now.planFor(Category.FIRE, Severity.CRITICAL).orElseThrow().steps())
                    .containsExactly("evacuate");
            assertThat(now.planFor(Category.FIRE, Severity.NORMAL)).isEmpty();

            List<Rules> reopened = new ArrayList<>();
            RuleStore again = RuleStore.open(journal, FILE, new AuditLog(journal, clock), clock, reopened::add,
                    r -> { });
            assertThat(reopened).containsExactly(now);
            assertThat(again.plansJson()).extracting(n -> n.path("severity").asText()).containsExactly("critical");
        }
    }
}
