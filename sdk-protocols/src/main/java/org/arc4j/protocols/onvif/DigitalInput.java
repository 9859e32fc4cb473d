package org.arc4j.protocols.onvif;

/**
 * A digital input from DeviceIO {@code GetDigitalInputs} (ONVIF DeviceIO §5.7). Its changes arrive as events on
 * {@code tns1:Device/Trigger/DigitalInput}. Immutable.
 *
 * @param token     the input token (the {@code InputToken} of its events)
 * @param idleState {@code open} or {@code closed}, or empty when not reported
 */
public record DigitalInput(String token, String idleState) {
}
