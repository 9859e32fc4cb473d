package org.arc4j.gb28181.platform;

import java.util.Map;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed device authentications: counted, logged without secrets, and recorded in the security audit log as
 * {@link AuditAction#DEVICE_AUTH_FAILED} (GA 1383 §安全性、可靠性) when the platform was given one.
 * Thread-safe.
 */
final class SecurityAudit {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityAudit.class);

    private final AuditLog audit;
    private final Counter authFailures;

    SecurityAudit(AuditLog audit, Metrics metrics) {
        this.audit = audit;
        this.authFailures = metrics.counter("gb28181.auth_failures");
    }

    /** Answers 403 to a request that failed authentication, and records it. */
    void refuse(ServerTransaction tx, String deviceId, String why) {
        authFailures.increment();
        LOG.info("{} of {} from {} refused: {}", tx.request().method(), deviceId, tx.source(), why);
        record(deviceId, tx.source(), tx.request().method(), why);
        Replies.reply(tx, 403, "Forbidden");
    }

    /** Records a failed authentication in the audit log, if there is one. */
    void record(String deviceId, SipPeer source, String what, String why) {
        if (audit == null) {
            return;
        }
        try {
            audit.record(Actor.of(deviceId, source.toString()), AuditAction.DEVICE_AUTH_FAILED, deviceId,
                    Map.of("request", what, "reason", why));
        } catch (RuntimeException e) {
            LOG.warn("audit of a failed authentication of {} not recorded", deviceId, e);
        }
    }
}
