package org.arc4j.core.customer;

import java.util.Objects;

/**
 * A zone (防区) of a site, as operators see it with an alarm (GA 1383 报警响应: 防区信息).
 *
 * @param id       the zone as the panel reports it (text, e.g. {@code 003})
 * @param name     its name, e.g. {@code vault door}
 * @param location where it is on the site plan, e.g. {@code ground floor, east}
 */
public record Zone(String id, String name, String location) {
    /** Validates the parts. */
    public Zone {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        location = location == null ? "" : location;
    }
}
