package org.arc4j.core.sla;

import org.arc4j.core.event.Transport;

/**
 * The channel an alarm is forwarded over (GA 1383 警情转发), which decides its time limit.
 */
public enum ForwardChannel {
    /** Wired IP network: ≤ 4 s. */
    IP,
    /** The public telephone network, automatically: ≤ 20 s. */
    PSTN,
    /** Wireless data of GPRS speed or faster: ≤ 5 s. */
    WIRELESS,
    /** An operator's phone call: ≤ 2 min. */
    PHONE;

    /**
     * The automatic channel that corresponds to a transport; serial and unknown transports map to PSTN, the
     * slowest automatic channel.
     *
     * @param t the transport
     * @return the channel
     */
    public static ForwardChannel of(Transport t) {
        return switch (t) {
            case IP -> IP;
            case WIRELESS -> WIRELESS;
            default -> PSTN;
        };
    }
}
