package org.arc4j.gb28181.cascade;

import java.time.Duration;
import java.util.Objects;
import org.arc4j.core.credentials.Secret;
import org.arc4j.gb28181.platform.GbDeviceId;
import org.arc4j.gb28181.sip.SipTransport;

/**
 * An upper platform the centre registers with as a lower platform (GB/T 28181-2016 §5.1 联网结构, §9.1 注册):
 * a public-security receiving platform or a customer's platform.
 *
 * @param id                its 20-digit SIP ID (type 200, 中心信令控制服务器)
 * @param domain            its SIP domain (usually the first 10 digits of its ID)
 * @param host              its address
 * @param port              its SIP port
 * @param transport         UDP or TCP
 * @param password          the registration password it gave the centre (keep it in the credential vault)
 * @param expires           the registration lifetime asked for (the upper may grant a shorter one)
 * @param keepaliveInterval how often a keepalive MESSAGE goes up
 * @param recipient         the pipeline recipient this platform stands for (e.g. {@code police-110}): alarm cases
 *                          forwarded to it are sent up this link
 */
public record UpperPlatform(String id, String domain, String host, int port, SipTransport transport, Secret password,
                            Duration expires, Duration keepaliveInterval, String recipient) {
    /** Validates the parts. */
    public UpperPlatform {
        if (!GbDeviceId.isValid(id)) {
            throw new IllegalArgumentException("upper platform ID must be 20 digits: " + id);
        }
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port);
        }
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(password, "password");
        if (expires.toSeconds() < 60) {
            throw new IllegalArgumentException("expires must be at least 60 s: " + expires);
        }
        if (keepaliveInterval.isNegative() || keepaliveInterval.toSeconds() < 1) {
            throw new IllegalArgumentException("keepalive interval must be at least 1 s: " + keepaliveInterval);
        }
        Objects.requireNonNull(recipient, "recipient");
    }

    /**
     * An upper platform over UDP with GB/T 28181's usual timings: 3600 s registration, 60 s keepalive; its domain is
     * the first 10 digits of its ID and its recipient name is its ID.
     *
     * @param id       its 20-digit ID
     * @param host     its address
     * @param port     its SIP port
     * @param password the registration password
     * @return the upper platform
     */
    public static UpperPlatform of(String id, String host, int port, Secret password) {
        return new UpperPlatform(id, id.substring(0, 10), host, port, SipTransport.UDP, password,
                Duration.ofHours(1), Duration.ofSeconds(60), id);
    }

    /**
     * @param v the pipeline recipient name
     * @return a copy with it
     */
    public UpperPlatform withRecipient(String v) {
        return new UpperPlatform(id, domain, host, port, transport, password, expires, keepaliveInterval, v);
    }

    /**
     * @param newExpires  the registration lifetime
     * @param newInterval the keepalive interval
     * @return a copy with these timings
     */
    public UpperPlatform withTimings(Duration newExpires, Duration newInterval) {
        return new UpperPlatform(id, domain, host, port, transport, password, newExpires, newInterval, recipient);
    }

    @Override
    public String toString() {
        return "UpperPlatform[" + id + " " + transport + "/" + host + ":" + port + "]";
    }
}
