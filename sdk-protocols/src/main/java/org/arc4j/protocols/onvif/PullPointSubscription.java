package org.arc4j.protocols.onvif;

import java.net.URI;
import java.time.Instant;

/**
 * A subscription from {@code CreatePullPointSubscription} (ONVIF Core §9.3.1), or from a Basic Notification
 * {@code Subscribe} (§9.2), and its {@code Renew}. Immutable.
 *
 * @param address         the subscription's address (where PullMessages, Renew and Unsubscribe go), after the
 *                        address policy
 * @param currentTime     the device's time, or null
 * @param terminationTime when it ends if not renewed, or null
 */
public record PullPointSubscription(URI address, Instant currentTime, Instant terminationTime) {
}
