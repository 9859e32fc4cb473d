package org.arc4j.core.pipeline;

import java.time.Instant;
import java.util.Objects;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.customer.ScheduleViolation;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.sla.SlaBreach;

/**
 * What the pipeline tells its in-process listeners (consoles, phone systems, statistics). For durable,
 * at-least-once delivery use a store subscription instead.
 */
public sealed interface PipelineEvent {
    /**
     * A case changed.
     *
     * @param c          the case after the change
     * @param transition the change
     */
    record CaseChanged(AlarmCase c, CaseTransition transition) implements PipelineEvent {
    }

    /**
     * A step missed its limit.
     *
     * @param breach the breach
     */
    record Breached(SlaBreach breach) implements PipelineEvent {
    }

    /**
     * A linkage rule asks for an action at a site.
     *
     * @param caseId the case
     * @param siteId the site, or null for an unknown account
     * @param rule   the rule's name
     * @param action the action
     */
    record LinkageRequested(String caseId, String siteId, String rule, String action) implements PipelineEvent {
    }

    /**
     * An arming or disarming departed from the open/close schedule.
     *
     * @param account   the panel
     * @param siteId    its site
     * @param violation how
     * @param at        when
     */
    record ScheduleViolated(AccountKey account, String siteId, ScheduleViolation violation, Instant at)
            implements PipelineEvent {
    }

    /**
     * A supervised account's panel went offline or came back (GA 1383 服务平台: 离线的IP前端设备应能提示): what the
     * supervisor decided, with the account's site and transport so a console can prompt.
     *
     * @param account      the panel
     * @param siteId       its site, or null when the directory does not know it
     * @param transport    its configured transport
     * @param online       false when it went offline, true when it came back
     * @param at           when
     * @param offlineSince for a return, when it went offline; for an offline event, its last check-in or null
     */
    record DeviceStatusChanged(AccountKey account, String siteId, org.arc4j.core.event.Transport transport,
                               boolean online, Instant at, Instant offlineSince) implements PipelineEvent {
    }

    /**
     * An event that is not an alarm (a status report: fault, tamper, arming, test, bypass), or a restore
     * without an open case, for statistics and status displays.
     *
     * @param event the event
     */
    record StatusReported(AlarmEvent event) implements PipelineEvent {
        /** Validates. */
        public StatusReported {
            Objects.requireNonNull(event, "event");
        }
    }
}
