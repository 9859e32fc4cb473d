package org.arc4j.gb28181.platform;

import java.util.Map;

/**
 * A channel of a registered device, from its Catalog (GB/T 28181-2016 A.2.6.3): a camera, an alarm input (type
 * 134, mapped to a centre zone), an alarm output, a business group… Immutable.
 *
 * @param id       the channel ID
 * @param name     the name, or null
 * @param parentId the parent ID, or null
 * @param online   its status in the last Catalog
 * @param zone     for an alarm input, the centre's zone; otherwise null
 * @param fields   every Catalog field as sent
 */
public record GbChannel(String id, String name, String parentId, boolean online, String zone,
                        Map<String, String> fields) {
    /** Copies the fields. */
    public GbChannel {
        fields = Map.copyOf(fields);
    }

    /** @return the parsed ID, or null when it is not a GB/T 28181 ID */
    public GbDeviceId deviceId() {
        return GbDeviceId.parse(id);
    }

    /** @return true for an alarm input (type code 134) */
    public boolean isAlarmInput() {
        GbDeviceId d = deviceId();
        return d != null && d.typeCode() == GbDeviceId.ALARM_INPUT;
    }
}
