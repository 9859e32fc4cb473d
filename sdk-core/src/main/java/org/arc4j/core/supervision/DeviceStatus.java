package org.arc4j.core.supervision;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one supervised device.
 *
 * @param device      the device
 * @param online      false after a missed deadline until the next check-in
 * @param lastCheckIn the last check-in time, or null
 * @param lastLink    the link of the last check-in, or null
 * @param maxSilence  how long it may stay silent before it is offline, or null when not supervised
 * @param deadline    when it will be declared offline without a check-in, or null
 */
public record DeviceStatus(DeviceKey device, boolean online, Instant lastCheckIn, String lastLink,
                           Duration maxSilence, Instant deadline) {
}
