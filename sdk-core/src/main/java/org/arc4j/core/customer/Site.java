package org.arc4j.core.customer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A protected site (防护区域) of a customer: its address, position, site plan and zones.
 *
 * @param id         the site id
 * @param customerId the customer it belongs to
 * @param name       the name shown to operators
 * @param address    the address
 * @param location   its position, or null when unknown
 * @param sitePlan   a reference to the site plan (a file name or URI), or empty
 * @param zones      its zones by id
 */
public record Site(String id, String customerId, String name, String address, GeoPoint location, String sitePlan,
                   Map<String, Zone> zones) {
    /** Validates the parts and copies the zones. */
    public Site {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(name, "name");
        address = address == null ? "" : address;
        sitePlan = sitePlan == null ? "" : sitePlan;
        zones = Map.copyOf(zones);
    }

    /**
     * A site with zones given as a list.
     *
     * @param id         the site id
     * @param customerId the customer
     * @param name       the name
     * @param address    the address
     * @param location   the position, or null
     * @param sitePlan   the site plan reference, or null
     * @param zones      the zones
     * @return the site
     */
    public static Site of(String id, String customerId, String name, String address, GeoPoint location,
                          String sitePlan, List<Zone> zones) {
        Map<String, Zone> m = new LinkedHashMap<>();
        zones.forEach(z -> m.put(z.id(), z));
        return new Site(id, customerId, name, address, location, sitePlan, m);
    }

    /**
     * A zone by the id a panel reports.
     *
     * @param zoneId the zone id, or null
     * @return the zone, if configured
     */
    public Optional<Zone> zone(String zoneId) {
        return zoneId == null ? Optional.empty() : Optional.ofNullable(zones.get(zoneId));
    }
}
