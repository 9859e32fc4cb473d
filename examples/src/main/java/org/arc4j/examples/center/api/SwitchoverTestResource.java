package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.security.SessionManager;
import org.arc4j.core.time.Scheduler;
import org.arc4j.examples.center.cluster.Switchovers;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;

/**
 * {@code POST /api/maintenance/switchovers/test}: a switchover test on demand (GA 1383 双机热备). On an active/standby
 * pair on PostgreSQL the leader answers 202, then hands the lease over to the standby and exits (status 3); the
 * standby takes over, records the switchover and hands back once this node waits as the standby again, and this
 * node records the second one ({@link Switchovers}). 409 on the embedded journal (no standby) and when no standby
 * is connected. Needs {@code MANAGE_RULES}; audited.
 */
public final class SwitchoverTestResource {
    /** How long after the answer the hand-over starts, so that the answer leaves before the centre exits. */
    private static final java.time.Duration GRACE = java.time.Duration.ofMillis(500);

    private final AccessGuard guard;
    private final AuditLog audit;
    private final Supplier<Optional<Switchovers>> switchovers;
    private final Scheduler scheduler;

    private SwitchoverTestResource(AccessGuard guard, AuditLog audit, Supplier<Optional<Switchovers>> switchovers,
                                   Scheduler scheduler) {
        this.guard = guard;
        this.audit = audit;
        this.switchovers = switchovers;
        this.scheduler = scheduler;
    }

    /**
     * Adds the route.
     *
     * @param router      the API's router
     * @param switchovers the leader's switchovers, empty on the journal and until the centre has started
     * @param scheduler   starts the hand-over after the answer
     * @param sessions    resolves bearer tokens
     * @param access      the permission check
     * @param audit       the audit log
     * @return the router
     */
    public static Router routes(Router router, Supplier<Optional<Switchovers>> switchovers, Scheduler scheduler,
                                SessionManager sessions, AccessControl access, AuditLog audit) {
        SwitchoverTestResource r = new SwitchoverTestResource(new AccessGuard(sessions, access, audit), audit,
                switchovers, scheduler);
        return router.post("/api/maintenance/switchovers/test", r::test);
    }

    private HttpResponse test(HttpRequest r) {
        Session s = guard.require(r, Permission.MANAGE_RULES, Resource.centre());
        Optional<Switchovers> so = switchovers.get();
        if (so.isEmpty()) {
            return HttpResponse.error(409, "no standby to switch over to: one centre on the embedded journal (or a"
                    + " node still starting)");
        }
        if (!so.get().standbyConnected()) {
            return HttpResponse.error(409, "no standby node is connected to the database");
        }
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.CONFIGURATION_CHANGE,
                "switchover-test", Map.of()));
        scheduler.schedule(GRACE, () -> so.get().test());
        return HttpResponse.json(202, JsonNodeFactory.instance.objectNode().put("started", true)
                .put("note", "this node hands over, exits and is handed back once it waits as the standby again"));
    }
}
