package org.arc4j.gb28181.platform;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.arc4j.gb28181.manscdp.CatalogItem;

/**
 * The devices registered with the centre (GB/T 28181-2016 §9.1), their channels from Catalog, and the mapping
 * of alarm inputs to the centre's zones.
 *
 * <p>Zones: an alarm input (type 134) maps to the zone set with {@link #assignZone}; without one, to its
 * serial number without leading zeros (alarm input {@code …1340000003} is zone {@code 3}), which is how
 * alarm controllers number their inputs.
 *
 * <p>Thread-safe: snapshots are replaced atomically per device.
 */
public final class DeviceRegistry {
    private final Map<String, GbDevice> devices = new ConcurrentHashMap<>();
    private final Map<String, String> channelOwner = new ConcurrentHashMap<>();
    private final Map<String, String> zones = new ConcurrentHashMap<>();
    private final Map<String, org.arc4j.gb28181.manscdp.MobilePosition> positions = new ConcurrentHashMap<>();

    /** An empty registry. */
    public DeviceRegistry() {
    }

    /**
     * A device's snapshot.
     *
     * @param deviceId the ID
     * @return the device, or empty
     */
    public Optional<GbDevice> get(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    /** @return every device */
    public Collection<GbDevice> all() {
        return List.copyOf(devices.values());
    }

    /**
     * The device a channel belongs to.
     *
     * @param channelId the channel ID
     * @return the device, or empty when no Catalog has named it
     */
    public Optional<GbDevice> ownerOf(String channelId) {
        String owner = channelOwner.get(channelId);
        return owner == null ? Optional.empty() : get(owner);
    }

    /**
     * The last mobile position a device or channel reported.
     *
     * @param id the reporting ID
     * @return the position, or empty
     */
    public Optional<org.arc4j.gb28181.manscdp.MobilePosition> position(String id) {
        return Optional.ofNullable(positions.get(id));
    }

    /**
     * Records a mobile position report.
     *
     * @param p the report
     */
    public void recordPosition(org.arc4j.gb28181.manscdp.MobilePosition p) {
        positions.put(p.deviceId(), p);
    }

    /**
     * Maps an alarm input to a centre zone.
     *
     * @param channelId the alarm input's ID
     * @param zone      the zone
     */
    public void assignZone(String channelId, String zone) {
        zones.put(Objects.requireNonNull(channelId), Objects.requireNonNull(zone));
        for (GbDevice d : devices.values()) {
            GbChannel c = d.channels().get(channelId);
            if (c != null) {
                update(d.id(), dev -> withChannels(dev, replace(dev.channels(), new GbChannel(c.id(), c.name(),
                        c.parentId(), c.online(), zone, c.fields()))));
            }
        }
    }

    /**
     * The zone of an alarm input (or any channel that reports alarms).
     *
     * @param channelId the channel ID
     * @return the assigned zone, else the serial number of a 20-digit ID without leading zeros, else the ID
     */
    public String zoneOf(String channelId) {
        String z = zones.get(channelId);
        if (z != null) {
            return z;
        }
        GbDeviceId id = GbDeviceId.parse(channelId);
        if (id != null && id.isStructured()) {
            String s = id.serial().replaceFirst("^0+", "");
            return s.isEmpty() ? "0" : s;
        }
        return channelId;
    }

    /**
     * Replaces a device's snapshot through a function (atomic per device).
     *
     * @param deviceId the ID
     * @param change   from the old snapshot (null if none) to the new one (null removes it)
     * @return the new snapshot, or null
     */
    public GbDevice update(String deviceId, UnaryOperator<GbDevice> change) {
        return devices.compute(deviceId, (k, old) -> change.apply(old));
    }

    /**
     * Merges Catalog items into a device's channels (ADD/UPDATE/ON/OFF replace, DEL removes).
     *
     * @param deviceId the device
     * @param items    the items
     * @return the new snapshot, or null if the device is unknown
     */
    public GbDevice mergeCatalog(String deviceId, List<CatalogItem> items) {
        return update(deviceId, d -> {
            if (d == null) {
                return null;
            }
            Map<String, GbChannel> ch = new LinkedHashMap<>(d.channels());
            for (CatalogItem i : items) {
                if ("DEL".equalsIgnoreCase(i.event())) {
                    ch.remove(i.deviceId());
                    channelOwner.remove(i.deviceId(), deviceId);
                    continue;
                }
                GbChannel old = ch.get(i.deviceId());
                boolean online = i.event() == null ? i.online()
                        : !(i.event().equalsIgnoreCase("OFF") || i.event().equalsIgnoreCase("VLOST")
                        || i.event().equalsIgnoreCase("DEFECT"));
                GbDeviceId id = GbDeviceId.parse(i.deviceId());
                String zone = id != null && id.typeCode() == GbDeviceId.ALARM_INPUT ? zoneOf(i.deviceId()) : null;
                ch.put(i.deviceId(), new GbChannel(i.deviceId(), i.name() != null ? i.name()
                        : old == null ? null : old.name(), i.parentId(), online, zone,
                        i.fields().isEmpty() && old != null ? old.fields() : i.fields()));
                channelOwner.put(i.deviceId(), deviceId);
            }
            return withChannels(d, ch);
        });
    }

    /**
     * Removes a device and its channels.
     *
     * @param deviceId the ID
     */
    public void remove(String deviceId) {
        GbDevice d = devices.remove(deviceId);
        if (d != null) {
            d.channels().keySet().forEach(c -> channelOwner.remove(c, deviceId));
        }
    }

    private static Map<String, GbChannel> replace(Map<String, GbChannel> m, GbChannel c) {
        Map<String, GbChannel> out = new LinkedHashMap<>(m);
        out.put(c.id(), c);
        return out;
    }

    private static GbDevice withChannels(GbDevice d, Map<String, GbChannel> ch) {
        return new GbDevice(d.id(), d.registered(), d.online(), d.registeredAt(), d.expiresAt(), d.lastKeepalive(),
                d.peer(), d.contact(), d.charset(), d.edition(), d.timeZone(), d.userAgent(), ch);
    }
}
