package org.arc4j.examples.center.terminal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The centre's GB/T 28181 devices and their sites as they are now: the configuration file's, then each change of the
 * administration API ({@code PUT}/{@code DELETE /api/admin/devices/{id}}, replayed from the journal at start) as it
 * is made. {@link RemoteControl} and the linkage rules ({@link LinkageActions}) read it at every command, so a device
 * added while the centre runs can be armed, disarmed and reset, and is found by its site's linkage rules, without a
 * restart; a deleted one no longer can. Bounded by the devices the configuration and administrators create.
 * Thread-safe.
 */
public final class GbDevices {
    private final Map<String, String> sites = new TreeMap<>();

    /**
     * Adds or moves a device, or removes it.
     *
     * @param id     its 20-digit ID
     * @param siteId its site (null: none), or null with {@code remove}
     * @param remove true to remove it
     */
    private synchronized void change(String id, String siteId, boolean remove) {
        if (remove) {
            sites.remove(id);
        } else {
            sites.put(id, siteId);
        }
    }

    /**
     * Adds a device or moves it to another site.
     *
     * @param id     its ID
     * @param siteId its site, or null when it has none
     */
    public void put(String id, String siteId) {
        change(id, siteId, false);
    }

    /**
     * Binds as the administration API does: a site binds the device to it, null removes the device.
     *
     * @param id     its ID
     * @param siteId its site, or null when the device was deleted
     */
    public void bind(String id, String siteId) {
        change(id, siteId, siteId == null);
    }

    /** @return the devices now, id to site (a site may be null), in ID order; a copy */
    public synchronized Map<String, String> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(sites));
    }
}
