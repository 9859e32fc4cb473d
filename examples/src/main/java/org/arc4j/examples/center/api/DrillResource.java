package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code POST /api/drills} {@code {"account", "category"?, "zone"?}}: injects a drill alarm (GA 1383 演练) through
 * the centre's intake, as if the account's panel had sent it, marked as a drill: the pipeline handles it end to end,
 * never forwards it to the police, and the statistics and the compliance report leave it out. Answered 201 once the
 * event is durable; audited as {@code DRILL}. Needs {@code MANAGE_RULES} (supervisors and administrators).
 * Thread-safe.
 */
final class DrillResource {
    private final AccessGuard guard;
    private final AlarmIntake intake;
    private final AuditLog audit;
    private final Clock clock;

    DrillResource(AccessGuard guard, AlarmIntake intake, AuditLog audit, Clock clock) {
        this.guard = guard;
        this.intake = intake;
        this.audit = audit;
        this.clock = clock;
    }

    HttpResponse inject(HttpRequest r) {
        JsonNode b = r.json();
        Session s = guard.require(r, Permission.MANAGE_RULES, Resource.centre());
        String account = Fields.text(b, "account");
        if (account == null || !account.matches("[0-9A-Fa-f]{3,16}")) {
            throw ApiException.badRequest("account must be 3 to 16 hex digits");
        }
        Category category = Fields.text(b, "category") == null ? Category.INTRUSION
                : Fields.enumOf(Category.class, Fields.text(b, "category"), "category");
        String zone = Fields.text(b, "zone") == null ? "000" : Fields.text(b, "zone");
        AlarmEvent e = AlarmEvent.builder().account(account).protocol(Protocol.INTERNAL)
                .ingress(new Ingress("drill", s.username())).code(CodeSystem.SIA, "DRILL").category(category)
                .zone(zone).description("drill injected by " + s.username()).receivedAt(clock.instant())
                .triggeredAt(clock.instant()).drill(true).build();
        Receipt receipt;
        try {
            receipt = intake.accept(List.of(e), IdempotencyKey.of("drill", UUID.randomUUID().toString()))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        } catch (ExecutionException | TimeoutException x) {
            throw new ApiException(503, "the journal did not take the drill; try again");
        }
        if (receipt instanceof Receipt.Refused refused) {
            throw new ApiException(503, "the intake refused the drill: " + refused.reason());
        }
        Receipt.Accepted ok = (Receipt.Accepted) receipt;
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.DRILL,
                "account:" + account, Map.of("category", category.name(), "zone", zone)));
        AlarmEvent stored = ok.events().get(0);
        return HttpResponse.json(201, Map.of("eventId", String.valueOf(stored.id()), "account", account,
                "category", category.name(), "drill", true));
    }
}
