package org.arc4j.core.pipeline.internal;

import java.time.Duration;
import java.time.Instant;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.Resolved;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Transport;
import org.arc4j.core.internal.IsoInstant;
import org.arc4j.core.internal.SmallMap;
import org.arc4j.core.pipeline.ActionPlan;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.pipeline.Rules;
import org.arc4j.core.pipeline.Severity;
import org.arc4j.core.sla.SlaPolicy;

/**
 * Opens a case from an alarm: enriches it from the {@link CustomerDirectory} (customer, site, key customer, the
 * transport whose limit applies), takes the limits from the customer's contract (else the default policy),
 * chooses its severity and action plan, and starts the response clock, from the device's event time corrected
 * by its known skew, else from receipt (GA 1383 报警响应).
 *
 * <p>Not thread-safe: used only under the pipeline's lock.
 */
public final class CaseOpener {
    private final CustomerDirectory directory;
    private final SlaPolicy defaultPolicy;
    private Rules rules;
    private Duration lastLimit;
    private String lastLimitText;

    /**
     * @param directory     the customer directory, or null (every account unknown)
     * @param defaultPolicy the limits for accounts without a contract
     * @param rules         the action plans
     */
    public CaseOpener(CustomerDirectory directory, SlaPolicy defaultPolicy, Rules rules) {
        this.directory = directory;
        this.defaultPolicy = defaultPolicy;
        this.rules = rules;
    }

    /** @param rules the action plans for cases opened from now on */
    public void rules(Rules rules) {
        this.rules = rules;
    }

    /**
     * @param e an alarm
     * @param now the time of the RECEIVED transition (the hand-off to the operator queue)
     * @return the new case, its RECEIVED transition its only one ({@link CaseFile#lastTransition()})
     */
    public CaseFile open(AlarmEvent e, Instant now) {
        Resolved r = directory == null ? null : directory.resolve(e).orElse(null);
        boolean key = r != null && r.customer().keyCustomer();
        SlaPolicy policy = r != null ? r.customer().contract() : defaultPolicy;
        Transport transport = e.transport() != Transport.UNKNOWN ? e.transport()
                : r != null ? r.account().transport() : Transport.UNKNOWN;
        Instant start = e.triggeredAt() != null && e.clockSkew() != null ? e.correctedTriggerTime() : e.receivedAt();
        Severity severity = Severity.of(e.category(), key);
        String customerId = r == null ? null : r.customer().id();
        String siteId = r == null ? null : r.site().id();
        SmallMap.Builder d = new SmallMap.Builder(11);
        d.put("eventId", e.id().toString());
        d.put("link", e.link());
        if (r != null) {
            d.put("customerId", customerId);
            d.put("siteId", siteId);
        }
        d.put("keyCustomer", Boolean.toString(key));
        d.put("transport", transport.name());
        d.put("severity", severity.name());
        String plan = rules.planFor(e.category(), severity).map(ActionPlan::name).orElse(null);
        if (plan != null) {
            d.put("actionPlan", plan);
        }
        Duration limit = policy.response(transport);
        d.put("responseStart", IsoInstant.toString(start));
        d.put("responseLimit", text(limit));
        String id = "C" + e.id();
        CaseTransition t = new CaseTransition(id, CaseAction.RECEIVED, CaseState.RECEIVED, now, CaseActor.SYSTEM,
                d.build());
        return new CaseFile(t, e, policy, key, customerId, siteId, transport, plan, start, now, limit);
    }

    /**
     * The limits for a case read back from the store: its customer's contract now, else the default.
     *
     * @param e the case's first event, or null
     * @return the policy
     */
    public SlaPolicy policyFor(AlarmEvent e) {
        if (directory == null || e == null) {
            return defaultPolicy;
        }
        return directory.resolve(e).map(r -> r.customer().contract()).orElse(defaultPolicy);
    }

    /** A limit's ISO-8601 text; the same few limits recur on every case, so the last one's text is kept. */
    private String text(Duration limit) {
        if (!limit.equals(lastLimit)) {
            lastLimitText = limit.toString();
            lastLimit = limit;
        }
        return lastLimitText;
    }
}
