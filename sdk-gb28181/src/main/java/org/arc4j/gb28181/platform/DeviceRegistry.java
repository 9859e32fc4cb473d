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
 * <p>Bounded, since every entry is made from network input: at most {@code maxDevices} devices (a new one
 * beyond that evicts the device whose registration lapsed longest ago, or is refused by {@link #admit}), at
 * most {@code maxChannelsPerDevice} channels per device (further Catalog items are ignored and counted), a
 * channel belongs to one device only (a second device naming it is ignored and counted), and a position is
 * kept only for a device or one of its own channels.
 *
 * <p>Thread-safe: snapshots are replaced atomically per device.
 */
public final class DeviceRegistry {
    private final Map<String, GbDevice> devices = new ConcurrentHashMap<>();
    private final Map<String, String> channelOwner = new ConcurrentHashMap<>();
    private final Map<String, String> zones = new ConcurrentHashMap<>();
    private final Map<String, org.arc4j.gb28181.manscdp.MobilePosition> positions = new ConcurrentHashMap<>();
    private final int maxDevices;
    private final int maxChannelsPerDevice;
    private final java.util.concurrent.atomic.AtomicLong refusedChannels = new java.util.concurrent.atomic.AtomicLong();

    /** An empty registry with the default bounds of {@link GbPlatformConfig}. */
    public DeviceRegistry() {
        this(GbPlatformConfig.Builder.DEFAULT_MAX_DEVICES, GbPlatformConfig.Builder.DEFAULT_MAX_CHANNELS);
    }

    /**
     * An empty registry.
     *
     * @param maxDevices           the most devices, positive
     * @param maxChannelsPerDevice the most channels per device, positive
     */
    public DeviceRegistry(int maxDevices, int maxChannelsPerDevice) {
        if (maxDevices < 1 || maxChannelsPerDevice < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        this.maxDevices = maxDevices;
        this.maxChannelsPerDevice = maxChannelsPerDevice;
    }

    /**
     * Makes room for a device about to register: a known device always has room; a new one has room below
     * {@code maxDevices}, or after the device whose registration lapsed (or was ended) longest ago is evicted.
     *
     * @param deviceId the device
     * @param now      the time registrations are judged at
     * @return false when the registry is full of live registrations (answer 503)
     */
    public synchronized boolean admit(String deviceId, java.time.Instant now) {
        if (devices.containsKey(deviceId) || devices.size() < maxDevices) {
            return true;
        }
        GbDevice oldest = null;
        for (GbDevice d : devices.values()) {
            boolean lapsed = !d.registered() || d.expiresAt().isBefore(now);
            if (lapsed && (oldest == null || d.expiresAt().isBefore(oldest.expiresAt()))) {
                oldest = d;
            }
        }
        if (oldest == null) {
            return false;
        }
        remove(oldest.id());
        return true;
    }

    /** @return the number of devices */
    public int size() {
        return devices.size();
    }

    /** @return the number of channels over all devices */
    public int channelCount() {
        return channelOwner.size();
    }

    /** @return the number of positions kept */
    public int positionCount() {
        return positions.size();
    }

    /** @return Catalog items ignored so far: over the per-device bound, or naming another device's channel */
    public long refusedChannels() {
        return refusedChannels.get();
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
        String owner = devices.containsKey(p.deviceId()) ? p.deviceId() : channelOwner.get(p.deviceId());
        if (owner != null) {
            positions.put(p.deviceId(), p);
        }
    }

    /**
     * Records a position reported by a device, for itself or one of its own channels; other IDs are ignored.
     *
     * @param deviceId the reporting device
     * @param p        the report
     * @return true if kept
     */
    public boolean recordPosition(String deviceId, org.arc4j.gb28181.manscdp.MobilePosition p) {
        if (p.deviceId() == null || !(p.deviceId().equals(deviceId) || deviceId.equals(channelOwner.get(p.deviceId())))
                || !devices.containsKey(deviceId)) {
            return false;
        }
        positions.put(p.deviceId(), p);
        return true;
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
                if (i.deviceId() == null) {
                    continue;
                }
                if ("DEL".equalsIgnoreCase(i.event())) {
                    if (ch.remove(i.deviceId()) != null) {
                        channelOwner.remove(i.deviceId(), deviceId);
                        positions.remove(i.deviceId());
                    }
                    continue;
                }
                String owner = channelOwner.get(i.deviceId());
                boolean othersDevice = !i.deviceId().equals(deviceId) && devices.containsKey(i.deviceId());
                if ((owner != null && !owner.equals(deviceId)) || othersDevice
                        || (!ch.containsKey(i.deviceId()) && ch.size() >= maxChannelsPerDevice)) {
                    refusedChannels.incrementAndGet();
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
                if (channelOwner.putIfAbsent(i.deviceId(), deviceId) != null
                        && !deviceId.equals(channelOwner.get(i.deviceId()))) {
                    ch.remove(i.deviceId()); // another device claimed it in the meantime
                    refusedChannels.incrementAndGet();
                }
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
        positions.remove(deviceId);
        if (d != null) {
            for (String c : d.channels().keySet()) {
                if (channelOwner.remove(c, deviceId)) {
                    positions.remove(c);
                }
            }
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
