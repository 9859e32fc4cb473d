package org.arc4j.protocols.onvif;

/**
 * A relay output from {@code GetRelayOutputs} (ONVIF Core §8.5.1, DeviceIO §5.5). Immutable.
 *
 * @param token     the relay token
 * @param mode      {@code Monostable} or {@code Bistable}
 * @param delayTime how long a monostable relay stays active, as sent ({@code PT5S})
 * @param idleState {@code open} or {@code closed}
 */
public record RelayOutput(String token, String mode, String delayTime, String idleState) {
}
