package org.arc4j.gb28181.media.internal;

import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;

/**
 * What media sessions need from the platform's signalling: requests to a registered device, addressed the way
 * every other platform request is (NAT-safe destination, From/To, Call-ID, X-GB-Ver for 2022 devices).
 */
public interface Signalling {
    /**
     * A new out-of-dialog request to a device.
     *
     * @param method   the method
     * @param deviceId the registered device
     * @param targetId the Request-URI user (a channel ID)
     * @param extra    headers to add
     * @return the request, without Via or body
     * @throws IllegalStateException when the device is not registered
     */
    SipRequest request(String method, String deviceId, String targetId, SipHeaders extra);

    /**
     * Where requests to a device go.
     *
     * @param deviceId the registered device
     * @return its SIP peer
     * @throws IllegalStateException when the device is not registered
     */
    SipPeer destination(String deviceId);

    /**
     * Whether a device speaks GB/T 28181-2022 (its {@code X-GB-Ver}), which adds H.265 and AAC to the media.
     *
     * @param deviceId the registered device
     * @return true for a 2022-edition device
     */
    boolean is2022(String deviceId);

    /** @return the next MANSCDP serial number of the platform */
    long nextSn();
}
