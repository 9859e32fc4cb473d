package org.arc4j.core.event;

import java.util.Objects;

/**
 * Where an event entered the centre: which adapter and which of its endpoints (a listening address and
 * port, a serial device, a telephone line).
 *
 * @param adapter  the adapter's name, e.g. {@code dc09-tcp}, {@code contactid-pstn}, {@code gb28181}
 * @param endpoint the endpoint within the adapter, e.g. {@code 0.0.0.0:9000} or {@code /dev/ttyS0}
 */
public record Ingress(String adapter, String endpoint) {
    /** Validates that both parts are present. */
    public Ingress {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    @Override
    public String toString() {
        return adapter + "@" + endpoint;
    }
}
