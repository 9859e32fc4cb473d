package org.arc4j.gb28181.cascade;

import java.time.Instant;

/**
 * What a {@link GbCascade} reports. Called on a network or scheduler thread: must not block. Default methods do
 * nothing.
 */
public interface CascadeListener {
    /**
     * A link changed state.
     *
     * @param link   the link
     * @param from   the state before
     * @param to     the state now
     * @param reason why, e.g. {@code 200 OK}, {@code 403 Forbidden}, {@code timeout}, {@code 3 keepalives lost}
     */
    default void linkStateChanged(UpperPlatformLink link, LinkState from, LinkState to, String reason) {
    }

    /**
     * An upper platform answered an alarm Notify with 200: the forward is done (GA 1383 警情转发; the pipeline's
     * {@code FORWARDING} step ends here). Also called for forwards resumed from the journal after a restart.
     *
     * @param upper       the upper platform
     * @param alarm       the alarm
     * @param deliveredAt when the 200 arrived, on the cascade's scheduler clock
     * @param attempts    how many times it was sent
     */
    default void alarmDelivered(UpperPlatform upper, CascadeAlarm alarm, Instant deliveredAt, int attempts) {
    }

    /**
     * An attempt to send an alarm was not answered with 200 (timeout, error status, or the link is down); it will be
     * sent again after {@link GbCascadeConfig#alarmRetry()}, which is already scheduled when this is called.
     *
     * @param upper    the upper platform
     * @param alarm    the alarm
     * @param attempts how many times it was sent so far
     * @param reason   the answer or error
     */
    default void alarmNotDelivered(UpperPlatform upper, CascadeAlarm alarm, int attempts, String reason) {
    }
}
