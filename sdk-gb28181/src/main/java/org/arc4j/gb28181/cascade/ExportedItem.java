package org.arc4j.gb28181.cascade;

import java.util.Objects;
import org.arc4j.gb28181.platform.GbDeviceId;

/**
 * One entry of the catalog the centre shows its upper platforms (GB/T 28181-2016 A.2.6.4 Catalog Item): a device,
 * a channel (camera, alarm input zone), a business group (215) or a virtual organisation (216). It is named by the
 * centre's own key; its 20-digit ID toward an upper platform is either configured or allocated once and journalled,
 * so it never changes across restarts.
 *
 * @param localKey     the centre's key, e.g. {@code gb:34020000001320000001} or {@code dc09:1234/zone/3}; stable
 * @param typeCode     the GB/T 28181 type code the allocated ID carries (Annex D: 118 NVR, 131 camera, 134 alarm
 *                     input, 215 business group, 216 virtual organisation, …)
 * @param name         its name (GB2312-encodable text for most upper platforms)
 * @param parentKey    the local key of the item it belongs to, or null for the top level (under the centre)
 * @param configuredId a 20-digit ID from the configuration, or null to allocate one
 * @param online       whether it is online (Status ON / OFF); groups are always ON
 * @param manufacturer its manufacturer, or null
 * @param model        its model, or null
 * @param address      its installation address, or null
 */
public record ExportedItem(String localKey, int typeCode, String name, String parentKey, String configuredId,
                           boolean online, String manufacturer, String model, String address) {
    /** Validates the parts. */
    public ExportedItem {
        Objects.requireNonNull(localKey, "localKey");
        Objects.requireNonNull(name, "name");
        if (typeCode < 100 || typeCode > 999) {
            throw new IllegalArgumentException("type code must have 3 digits: " + typeCode);
        }
        if (configuredId != null && !GbDeviceId.isValid(configuredId)) {
            throw new IllegalArgumentException("configured ID must be 20 digits: " + configuredId);
        }
    }

    /**
     * A camera channel.
     *
     * @param localKey  the centre's key
     * @param name      its name
     * @param parentKey its device's or group's key, or null
     * @param online    whether it is online
     * @return the item, type 131
     */
    public static ExportedItem camera(String localKey, String name, String parentKey, boolean online) {
        return new ExportedItem(localKey, GbDeviceId.CAMERA, name, parentKey, null, online, null, null, null);
    }

    /**
     * An alarm input (a panel's zone).
     *
     * @param localKey  the centre's key
     * @param name      its name
     * @param parentKey its panel's or group's key, or null
     * @param online    whether it is online
     * @return the item, type 134
     */
    public static ExportedItem alarmInput(String localKey, String name, String parentKey, boolean online) {
        return new ExportedItem(localKey, GbDeviceId.ALARM_INPUT, name, parentKey, null, online, null, null, null);
    }

    /**
     * A virtual organisation (216), e.g. a customer or a site.
     *
     * @param localKey  the centre's key
     * @param name      its name
     * @param parentKey its parent group's key, or null
     * @return the item
     */
    public static ExportedItem group(String localKey, String name, String parentKey) {
        return new ExportedItem(localKey, GbDeviceId.VIRTUAL_ORGANISATION, name, parentKey, null, true, null, null,
                null);
    }

    /**
     * @param id the 20-digit ID
     * @return a copy with this configured ID
     */
    public ExportedItem withConfiguredId(String id) {
        return new ExportedItem(localKey, typeCode, name, parentKey, id, online, manufacturer, model, address);
    }

    /** @return true for a business group or virtual organisation (no Status, Manufacturer, …) */
    public boolean isGroup() {
        return typeCode == GbDeviceId.BUSINESS_GROUP || typeCode == GbDeviceId.VIRTUAL_ORGANISATION;
    }
}
