package org.arc4j.core.security;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessControl} with its audit trail: the check to put in front of the reference centre's API and the
 * pipeline's video actions. Denials are audited as {@link AuditAction#ACCESS_DENIED}; granted live or recorded
 * viewing as {@link AuditAction#VIDEO_VIEWED} and granted export as {@link AuditAction#VIDEO_EXPORTED} (GA 1383
 * 保密安全: "对图像信息的查看、调用、复制等应符合国家法律、法规和现行标准的规定" — so each is traceable). Data exports, which are
 * not a permission of their own, are recorded with {@link #dataExported}.
 *
 * <p>Thread-safe; a check never blocks (the audit append does not).
 */
public final class AuditedAccess {
    private static final Logger LOG = LoggerFactory.getLogger(AuditedAccess.class);

    private final AccessControl access;
    private final AuditLog audit;

    /**
     * Audited access control.
     *
     * @param access the checks
     * @param audit  the audit trail
     */
    public AuditedAccess(AccessControl access, AuditLog audit) {
        this.access = Objects.requireNonNull(access, "access");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * Checks a session's request and audits it as described above.
     *
     * @param session    the caller's session
     * @param permission what for
     * @param resource   on what
     * @return the decision
     */
    public AccessDecision authorize(Session session, Permission permission, Resource resource) {
        AccessDecision d = access.check(session, permission, resource);
        audit(Actor.of(session.username(), session.origin()), d, resource);
        return d;
    }

    /**
     * Checks a user's request (outside a session, e.g. a console operator) and audits it.
     *
     * @param user       who asks
     * @param origin     from where
     * @param permission what for
     * @param resource   on what
     * @return the decision
     */
    public AccessDecision authorize(User user, String origin, Permission permission, Resource resource) {
        AccessDecision d = access.check(user, permission, resource);
        audit(Actor.of(user.username(), origin), d, resource);
        return d;
    }

    /**
     * Records a data export (customers, cases, statistics).
     *
     * @param session who exported, from where
     * @param what    what was exported (a report or file name)
     * @param details further facts such as the number of rows or the filter used
     * @return the entry's position, once durable
     */
    public CompletionStage<Long> dataExported(Session session, String what, Map<String, String> details) {
        Map<String, String> d = new TreeMap<>(details);
        d.put("session", session.id());
        return audit.record(Actor.of(session.username(), session.origin()), AuditAction.DATA_EXPORT, what, d);
    }

    private void audit(Actor actor, AccessDecision d, Resource resource) {
        AuditAction action;
        Map<String, String> details = new TreeMap<>();
        details.put("permission", d.permission().name());
        if (d instanceof AccessDecision.Denied denied) {
            action = AuditAction.ACCESS_DENIED;
            details.put("reason", denied.reason().name());
        } else if (d.permission() == Permission.VIEW_LIVE_VIDEO || d.permission() == Permission.VIEW_RECORDED_VIDEO) {
            action = AuditAction.VIDEO_VIEWED;
        } else if (d.permission() == Permission.EXPORT_RECORDED_VIDEO) {
            action = AuditAction.VIDEO_EXPORTED;
        } else {
            return;
        }
        if (resource.customerId() != null) {
            details.put("customer", resource.customerId());
        }
        if (resource.siteId() != null) {
            details.put("site", resource.siteId());
        }
        String target = resource.kind() + (resource.id() == null ? "" : ":" + resource.id());
        audit.record(actor, action, target, details).whenComplete((pos, e) -> {
            if (e != null) {
                LOG.error("audit entry {} on {} could not be stored", action, target, e);
            }
        });
    }
}
