package org.arc4j.gb28181.platform;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.arc4j.gb28181.manscdp.ManscdpCharset;
import org.arc4j.gb28181.sip.SipPeer;

/**
 * A snapshot of a registered device as the registry knows it. Immutable; the {@link DeviceRegistry} replaces
 * it on every change.
 *
 * @param id            the device ID
 * @param registered    true while its registration is valid (not expired, not de-registered)
 * @param online        the supervisor's view: false after a missed keepalive deadline
 * @param registeredAt  when it last registered
 * @param expiresAt     when its registration expires
 * @param lastKeepalive its last keepalive, or null
 * @param peer          where its messages come from (for NAT, the public address and port)
 * @param contact       its Contact URI
 * @param charset       the charset the centre writes to it
 * @param edition       its GB/T 28181 edition
 * @param timeZone      its time zone (MANSCDP times carry no offset)
 * @param userAgent     its User-Agent, or null
 * @param channels      its channels from Catalog, by ID
 */
public record GbDevice(String id, boolean registered, boolean online, Instant registeredAt, Instant expiresAt,
                       Instant lastKeepalive, SipPeer peer, String contact, ManscdpCharset charset,
                       GbEdition edition, ZoneId timeZone, String userAgent, Map<String, GbChannel> channels) {
    /** Copies the channels. */
    public GbDevice {
        channels = Map.copyOf(channels);
    }

    /** @return the alarm inputs among its channels */
    public java.util.List<GbChannel> alarmInputs() {
        return channels.values().stream().filter(GbChannel::isAlarmInput).toList();
    }
}
