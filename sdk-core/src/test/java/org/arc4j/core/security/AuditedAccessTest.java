package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

class AuditedAccessTest {
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
    private final AuditLog audit = new AuditLog(new InMemoryRecordStore(), scheduler.clock());
    private final AuditedAccess access = new AuditedAccess(AccessControl.defaults(), audit);
    private final SessionManager sessions = new SessionManager(scheduler, Duration.ofMinutes(15), new SecureRandom());

    @Test
    void videoViewsExportsAndDenialsAreAuditedOtherGrantsAreNot() {
        Session viewer = sessions.issue(User.of("cust-a", Role.CUSTOMER_VIEWER, Scope.customer("C-A")),
                "198.51.100.4", false).session();
        Resource ownRecording = Resource.recording("rec-1", "C-A", "S-A1");
        Resource otherRecording = Resource.recording("rec-2", "C-B", "S-B1");

        assertThat(access.authorize(viewer, Permission.VIEW_RECORDED_VIDEO, ownRecording).granted()).isTrue();
        assertThat(access.authorize(viewer, Permission.EXPORT_RECORDED_VIDEO, ownRecording).granted()).isTrue();
        assertThat(access.authorize(viewer, Permission.VIEW_RECORDED_VIDEO, otherRecording).granted()).isFalse();
        assertThat(access.authorize(viewer, Permission.VIEW_ALARMS, Resource.alarmCase("c1", "C-A", "S-A1"))
                .granted()).isTrue();
        access.dataExported(viewer, "alarms-2026-02.csv", Map.of("rows", "42"));

        assertThat(audit.query(AuditQuery.ALL.byActor("cust-a")))
                .extracting(e -> e.action() + " " + e.target() + " " + e.details())
                .containsExactly(
                        "VIDEO_VIEWED RECORDING:rec-1 {customer=C-A, permission=VIEW_RECORDED_VIDEO, site=S-A1}",
                        "VIDEO_EXPORTED RECORDING:rec-1 {customer=C-A, permission=EXPORT_RECORDED_VIDEO, site=S-A1}",
                        "ACCESS_DENIED RECORDING:rec-2 {customer=C-B, permission=VIEW_RECORDED_VIDEO, "
                                + "reason=OUT_OF_SCOPE, site=S-B1}",
                        "DATA_EXPORT alarms-2026-02.csv {rows=42, session=" + viewer.id() + "}");
        assertThat(audit.query(AuditQuery.ALL.byActor("cust-a"))).allSatisfy(e ->
                assertThat(e.origin()).isEqualTo("198.51.100.4"));
    }

    @Test
    void liveVideoOfAConsoleOperatorIsAudited() {
        User op = User.of("op1", Role.OPERATOR, Scope.NONE);
        access.authorize(op, "console-3", Permission.VIEW_LIVE_VIDEO, Resource.device("cam-9", "C-A", "S-A1"));
        assertThat(audit.query(AuditQuery.ALL.byAction(AuditAction.VIDEO_VIEWED))).singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("op1");
                    assertThat(e.origin()).isEqualTo("console-3");
                    assertThat(e.target()).isEqualTo("DEVICE:cam-9");
                });
    }
}
