package org.arc4j.gb28181.manscdp;

import java.util.Map;

/**
 * One {@code Item} of a Catalog answer or notification (GB/T 28181-2016 A.2.6.3): a channel, an alarm input,
 * a business group or a virtual organisation, with its fields as sent. Immutable.
 *
 * @param deviceId the item's DeviceID (20 digits; its type code says what it is)
 * @param name     Name, or null
 * @param parentId ParentID, or null
 * @param status   Status ({@code ON}/{@code OFF}, also {@code Online}, {@code ONLINE}), or null
 * @param event    Event in a Catalog NOTIFY (ON, OFF, VLOST, DEFECT, ADD, DEL, UPDATE), or null
 * @param fields   every child element, name to text
 */
public record CatalogItem(String deviceId, String name, String parentId, String status, String event,
                          Map<String, String> fields) {
    /** Copies the fields. */
    public CatalogItem {
        fields = Map.copyOf(fields);
    }

    /**
     * Reads an item.
     *
     * @param item the Item element
     * @return the item, or null when it has no DeviceID
     */
    public static CatalogItem of(ManscdpElement item) {
        Map<String, String> f = item.flat();
        String id = clean(f.get("DeviceID"));
        if (id == null) {
            return null;
        }
        return new CatalogItem(id, clean(f.get("Name")), clean(f.get("ParentID")), clean(f.get("Status")),
                clean(f.get("Event")), f);
    }

    /** @return true unless Status says off (any case of OFF/OFFLINE) */
    public boolean online() {
        return status == null || !(status.equalsIgnoreCase("OFF") || status.equalsIgnoreCase("OFFLINE"));
    }

    /**
     * A field, with empty text and the literal {@code null} some platforms write treated as absent.
     *
     * @param name the field
     * @return its value, or null
     */
    public String field(String name) {
        return clean(fields.get(name));
    }

    private static String clean(String v) {
        return v == null || v.isEmpty() || v.equalsIgnoreCase("null") ? null : v.trim();
    }
}
