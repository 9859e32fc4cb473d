package org.arc4j.core.security;

import java.util.Objects;

/**
 * What a request touches, as far as access control needs to know: its kind and id, the customer and site it
 * belongs to, the guard it was dispatched to and whether it was forwarded to the police. The caller (the
 * pipeline, the REST API) fills it from its own data. Immutable.
 *
 * @param kind              what sort of thing it is
 * @param id                its id, or null for the centre
 * @param customerId        the customer it belongs to, or null
 * @param siteId            the site it belongs to, or null
 * @param dispatchedTo      the user name of the guard it was dispatched to, or null
 * @param forwardedToPolice whether it was forwarded to the police
 */
public record Resource(Kind kind, String id, String customerId, String siteId, String dispatchedTo,
                       boolean forwardedToPolice) {

    /** The kinds of resources. */
    public enum Kind {
        /** The centre as a whole: users, rules, logs, reports. */
        CENTRE,
        /** A customer. */
        CUSTOMER,
        /** A site (a protected premises) of a customer. */
        SITE,
        /** An alarm case. */
        CASE,
        /** A device: panel, camera, NVR, linkage output. */
        DEVICE,
        /** A recording. */
        RECORDING
    }

    private static final Resource CENTRE = new Resource(Kind.CENTRE, null, null, null, null, false);

    /** Validates the kind. */
    public Resource {
        Objects.requireNonNull(kind, "kind");
    }

    /** @return the centre as a whole (for managing users, rules, reading logs) */
    public static Resource centre() {
        return CENTRE;
    }

    /**
     * A customer.
     *
     * @param customerId the customer
     * @return the resource
     */
    public static Resource customer(String customerId) {
        return new Resource(Kind.CUSTOMER, customerId, Objects.requireNonNull(customerId, "customerId"), null,
                null, false);
    }

    /**
     * A site.
     *
     * @param customerId its customer
     * @param siteId     the site
     * @return the resource
     */
    public static Resource site(String customerId, String siteId) {
        return new Resource(Kind.SITE, siteId, customerId, siteId, null, false);
    }

    /**
     * A device at a site.
     *
     * @param deviceId   the device
     * @param customerId its customer
     * @param siteId     its site
     * @return the resource
     */
    public static Resource device(String deviceId, String customerId, String siteId) {
        return new Resource(Kind.DEVICE, deviceId, customerId, siteId, null, false);
    }

    /**
     * An alarm case of a site, not (yet) dispatched or forwarded.
     *
     * @param caseId     the case
     * @param customerId its customer
     * @param siteId     its site
     * @return the resource
     */
    public static Resource alarmCase(String caseId, String customerId, String siteId) {
        return new Resource(Kind.CASE, caseId, customerId, siteId, null, false);
    }

    /**
     * A recording of a site.
     *
     * @param recordingId the recording
     * @param customerId  its customer
     * @param siteId      its site
     * @return the resource
     */
    public static Resource recording(String recordingId, String customerId, String siteId) {
        return new Resource(Kind.RECORDING, recordingId, customerId, siteId, null, false);
    }

    /**
     * This resource, dispatched to a guard.
     *
     * @param guard the guard's user name
     * @return a copy with {@code dispatchedTo} set
     */
    public Resource dispatchedTo(String guard) {
        return new Resource(kind, id, customerId, siteId, Objects.requireNonNull(guard, "guard"),
                forwardedToPolice);
    }

    /** @return a copy marked as forwarded to the police */
    public Resource forwarded() {
        return new Resource(kind, id, customerId, siteId, dispatchedTo, true);
    }
}
