package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.arc4j.core.event.Category;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.CaseAccess;
import org.arc4j.core.security.Role;
import org.arc4j.core.security.Scope;
import org.arc4j.core.security.User;
import org.arc4j.core.sla.VerificationMethod;
import org.junit.jupiter.api.Test;

/** The pipeline with the security module's access control in front of every operator action. */
class CaseAccessTest {
    private static final Map<String, User> USERS = Map.of(
            "op1", User.of("op1", Role.OPERATOR, Scope.NONE),
            "patrol-7", User.of("patrol-7", Role.GUARD, Scope.NONE),
            "patrol-9", User.of("patrol-9", Role.GUARD, Scope.NONE),
            "shop-owner", User.of("shop-owner", Role.CUSTOMER_VIEWER, Scope.customer("shop")),
            "admin", User.of("admin", Role.ADMINISTRATOR, Scope.NONE));

    private static Centre centre() {
        CaseAccess access = new CaseAccess(AccessControl.defaults(), name -> Optional.ofNullable(USERS.get(name)));
        return new Centre().start(b -> b.authorizer(access));
    }

    private static void denied(Runnable action) {
        assertThatThrownBy(action::run).satisfies(e -> {
            Throwable cause = e instanceof CompletionException ? e.getCause() : e;
            assertThat(cause).isInstanceOf(CaseException.class);
            assertThat(((CaseException) cause).reason()).isEqualTo(CaseException.Reason.DENIED);
        });
    }

    @Test
    void operatorsWorkCasesGuardsReportOnlyOnTheirOwnAndViewersTouchNothing() {
        Centre c = centre();
        String id = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")).id();
        c.pipeline.present(id, "op1");

        denied(() -> c.pipeline.take(id, "shop-owner").toCompletableFuture().join());
        denied(() -> c.pipeline.take(id, "admin").toCompletableFuture().join());
        denied(() -> c.pipeline.take(id, "nobody").toCompletableFuture().join());
        c.pipeline.take(id, "op1").toCompletableFuture().join();
        c.pipeline.startVerification(id, "op1", VerificationMethod.VIDEO).toCompletableFuture().join();
        c.pipeline.verify(id, "op1", VerificationResult.REAL, null).toCompletableFuture().join();
        c.pipeline.dispatch(id, "op1", "patrol-7").toCompletableFuture().join();

        denied(() -> c.pipeline.guardReport(id, "patrol-9", CaseAction.GUARD_DEPARTED, null)
                .toCompletableFuture().join());
        c.pipeline.guardReport(id, "patrol-7", CaseAction.GUARD_DEPARTED, null).toCompletableFuture().join();
        denied(() -> c.pipeline.close(id, "patrol-7", "done").toCompletableFuture().join());
        c.pipeline.close(id, "op1", "done").toCompletableFuture().join();
        assertThat(c.pipeline.get(id).orElseThrow().state()).isEqualTo(CaseState.CLOSED);
    }

    @Test
    void anOperatorRelayingAGuardsStepIsTheActorAndTheGuardADetail() {
        Centre c = centre();
        String id = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")).id();
        c.pipeline.present(id, "op1");
        c.pipeline.take(id, "op1").toCompletableFuture().join();
        c.pipeline.dispatch(id, "op1", "patrol-7").toCompletableFuture().join();

        // a guard relaying for another guard is out of their reach; a viewer holds no REPORT_ON_SITE at all
        denied(() -> c.pipeline.relayGuardReport(id, "patrol-9", CaseAction.GUARD_DEPARTED, null)
                .toCompletableFuture().join());
        denied(() -> c.pipeline.relayGuardReport(id, "shop-owner", CaseAction.GUARD_DEPARTED, null)
                .toCompletableFuture().join());
        c.pipeline.relayGuardReport(id, "op1", CaseAction.GUARD_DEPARTED, null).toCompletableFuture().join();
        c.pipeline.guardReport(id, "patrol-7", CaseAction.GUARD_ARRIVED, null).toCompletableFuture().join();
        c.pipeline.relayGuardReport(id, "op1", CaseAction.ONSITE_REPORT, "door forced").toCompletableFuture().join();

        List<CaseTransition> t = c.pipeline.get(id).orElseThrow().transitions();
        CaseTransition departed = t.stream().filter(x -> x.action() == CaseAction.GUARD_DEPARTED).findFirst()
                .orElseThrow();
        assertThat(departed.actor()).isEqualTo(CaseActor.operator("op1"));
        assertThat(departed.details()).containsEntry("guard", "patrol-7");
        CaseTransition arrived = t.stream().filter(x -> x.action() == CaseAction.GUARD_ARRIVED).findFirst()
                .orElseThrow();
        assertThat(arrived.actor()).isEqualTo(new CaseActor(CaseActor.Kind.GUARD, "patrol-7"));
        CaseTransition report = t.get(t.size() - 1);
        assertThat(report.action()).isEqualTo(CaseAction.ONSITE_REPORT);
        assertThat(report.details()).containsEntry("report", "door forced").containsEntry("guard", "patrol-7");
        // the steps keep their order whoever reports them
        assertThatThrownBy(() -> c.pipeline.relayGuardReport(id, "op1", CaseAction.GUARD_DEPARTED, null))
                .isInstanceOf(CaseException.class);
    }

    @Test
    void everyOperatorActionNeedsAPermission() {
        for (CaseAction a : CaseAction.values()) {
            boolean operatorAction = switch (a) {
                case RECEIVED, ARRIVAL, ESCALATED, FORWARD_SUPPRESSED, LINKAGE, RESTORED, SLA_BREACH -> false;
                default -> true;
            };
            assertThat(CaseAccess.permissionFor(a).isPresent()).as(a.name()).isEqualTo(operatorAction);
        }
    }
}
