package org.arc4j.core.supervision;

import java.util.Objects;

/**
 * Identifies a supervised device (panel, camera, platform, hardware receiver) across protocols: a namespace
 * naming how it is addressed and an id within it, e.g. ({@code dc09}, {@code R1/L1/#1234}) or
 * ({@code gb28181}, {@code 34020000001320000001}).
 *
 * @param namespace how the id is formed, usually the adapter's name
 * @param id        the id within the namespace
 */
public record DeviceKey(String namespace, String id) {
    /** Validates both parts. */
    public DeviceKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(id, "id");
    }

    /**
     * Shorthand constructor.
     *
     * @param namespace the namespace
     * @param id        the id
     * @return the key
     */
    public static DeviceKey of(String namespace, String id) {
        return new DeviceKey(namespace, id);
    }

    @Override
    public String toString() {
        return namespace + ":" + id;
    }
}
