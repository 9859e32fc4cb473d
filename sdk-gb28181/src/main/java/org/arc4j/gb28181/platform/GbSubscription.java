package org.arc4j.gb28181.platform;

import java.time.Instant;
import org.arc4j.gb28181.sip.Dialog;

/**
 * A subscription the centre holds at a device (GB/T 28181-2016 §9.11, RFC 6665): Catalog changes, alarms or
 * mobile positions, refreshed by the platform before it expires. Snapshot; {@link GbPlatform#subscriptions()}
 * gives the current ones.
 *
 * @param deviceId  the device
 * @param kind      what is subscribed to
 * @param dialog    the subscription's dialog
 * @param expiresAt when it expires unless refreshed
 */
public record GbSubscription(String deviceId, Kind kind, Dialog dialog, Instant expiresAt) {
    /** What is subscribed to. */
    public enum Kind {
        /** Catalog changes (ON, OFF, ADD, DEL, UPDATE…), {@code Event: Catalog}. */
        CATALOG("Catalog"),
        /** Alarms, {@code Event: presence} as deployed platforms write it. */
        ALARM("presence"),
        /** Mobile positions, {@code Event: presence}. */
        MOBILE_POSITION("presence");

        private final String event;

        Kind(String event) {
            this.event = event;
        }

        /** @return the Event header's package */
        public String event() {
            return event;
        }
    }
}
