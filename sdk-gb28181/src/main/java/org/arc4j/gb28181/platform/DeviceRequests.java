package org.arc4j.gb28181.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.arc4j.gb28181.manscdp.ManscdpEncoder;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.gb28181.sip.SipTransport;
import org.arc4j.gb28181.sip.SipUri;

/**
 * Requests from the platform to a device (GB/T 28181-2016 §9.3 control, §9.5 query, §9.11 subscription): who is
 * registered, where a request goes (NAT-safe), headers, MANSCDP serial numbers and the device's charset.
 * Thread-safe.
 */
final class DeviceRequests {
    private final GbPlatformConfig config;
    private final SipStack stack;
    private final DeviceRegistry registry;
    private final AtomicLong sn = new AtomicLong(1);
    private final AtomicLong cseq = new AtomicLong(1);

    DeviceRequests(GbPlatformConfig config, SipStack stack, DeviceRegistry registry) {
        this.config = config;
        this.stack = stack;
        this.registry = registry;
    }

    /** @return the platform's configuration */
    GbPlatformConfig config() {
        return config;
    }

    /** @return the next MANSCDP serial number */
    long nextSn() {
        return sn.getAndIncrement();
    }

    GbDevice registered(String deviceId) {
        GbDevice d = registry.get(deviceId).orElse(null);
        if (d == null || !d.registered()) {
            throw new IllegalStateException("device not registered: " + deviceId);
        }
        return d;
    }

    SipRequest request(String method, GbDevice d, String targetId, byte[] body, SipHeaders extra) {
        SipPeer p = destination(d);
        String host = p.address().getAddress().getHostAddress();
        String deviceDomain = targetId.length() == 20 ? targetId.substring(0, 10) : config.domain;
        SipHeaders.Builder h = SipHeaders.builder()
                .add("From", "<sip:" + config.platformId + "@" + config.domain + ">;tag=" + stack.newToken())
                .add("To", "<sip:" + targetId + "@" + deviceDomain + ">")
                .add("Call-ID", stack.newToken() + "@" + stack.advertisedHost())
                .add("CSeq", cseq.getAndIncrement() + " " + method)
                .add("Max-Forwards", "70")
                .add("User-Agent", "arc4j");
        if (d.edition() == GbEdition.GB2022) {
            h.add("X-GB-Ver", d.edition().version());
        }
        if (extra != null) {
            for (SipHeaders.Field f : extra) {
                h.add(f.name(), f.value());
            }
        }
        if (body != null) {
            h.add("Content-Type", GbPlatform.MANSCDP);
        }
        return SipRequest.of(method, "sip:" + targetId + "@" + host + ":" + p.address().getPort(), h.build(), body);
    }

    CompletionStage<SipResponse> message(GbDevice d, String targetId, byte[] body) {
        return stack.send(request(SipRequest.MESSAGE, d, targetId, body, null), destination(d));
    }

    /**
     * Where requests to a device go: where its messages come from (NAT-safe), except over TCP when that
     * connection has closed: its source port was ephemeral, so the Contact it registered is tried instead.
     */
    SipPeer destination(GbDevice d) {
        SipPeer p = d.peer();
        if (p.transport() != SipTransport.TCP || stack.isConnected(p.address())
                || d.contact() == null) {
            return p;
        }
        SipUri c = SipUri.parse(d.contact());
        if (c == null || c.port() <= 0 || !isIpLiteral(c.host())) {
            return p;
        }
        return new SipPeer(p.transport(), new java.net.InetSocketAddress(c.host(), c.port()));
    }

    private static boolean isIpLiteral(String host) {
        if (host.startsWith("[")) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char ch = host.charAt(i);
            if ((ch < '0' || ch > '9') && ch != '.') {
                return false;
            }
        }
        return !host.isEmpty();
    }

    ManscdpEncoder encoder(String deviceId) {
        return ManscdpEncoder.of(registry.get(deviceId).map(GbDevice::charset).orElse(config.charset(deviceId)));
    }

    CompletionStage<SipResponse> control(String deviceId, String targetId,
                                                 LongFunction<byte[]> body) {
        GbDevice d;
        try {
            d = registered(deviceId);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        return message(d, targetId, body.apply(nextSn()));
    }
}
