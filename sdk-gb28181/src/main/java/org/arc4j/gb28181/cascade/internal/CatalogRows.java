package org.arc4j.gb28181.cascade.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.arc4j.gb28181.cascade.ExportedItem;

/** The Catalog items the centre writes in Catalog answers and notifications. Stateless. */
final class CatalogRows {
    private CatalogRows() {
    }

    /**
     * One Catalog Item (GB/T 28181-2016 A.2.6.4): a group carries DeviceID, Name, (BusinessGroupID) and ParentID;
     * a device or channel also Manufacturer, Model, Owner, CivilCode, Address, Parental, ParentID, SafetyWay,
     * RegisterWay, Secrecy and Status.
     *
     * @param it      the item
     * @param ids     local key to exported ID
     * @param byKey   every item by local key (to find a virtual organisation's business group)
     * @param localId the centre's ID, the parent of top-level items
     * @return element name to text, in order
     */
    static Map<String, String> row(ExportedItem it, Map<String, String> ids, Map<String, ExportedItem> byKey,
                                   String localId) {
        Map<String, String> m = new LinkedHashMap<>();
        String parentId = it.parentKey() != null && ids.containsKey(it.parentKey()) ? ids.get(it.parentKey())
                : localId;
        m.put("DeviceID", ids.get(it.localKey()));
        m.put("Name", it.name());
        if (it.isGroup()) {
            if (it.typeCode() == org.arc4j.gb28181.platform.GbDeviceId.VIRTUAL_ORGANISATION) {
                m.put("BusinessGroupID", businessGroup(it, ids, byKey));
            }
            m.put("ParentID", parentId);
            return m;
        }
        m.put("Manufacturer", it.manufacturer() == null ? "" : it.manufacturer());
        m.put("Model", it.model() == null ? "" : it.model());
        m.put("Owner", "0");
        m.put("CivilCode", localId.substring(0, 6));
        m.put("Address", it.address() == null ? "" : it.address());
        m.put("Parental", "0");
        m.put("ParentID", parentId);
        m.put("SafetyWay", "0");
        m.put("RegisterWay", "1");
        m.put("Secrecy", "0");
        m.put("Status", it.online() ? "ON" : "OFF");
        return m;
    }

    /** The business group (215) a virtual organisation sits under, by its parents; empty when none. */
    private static String businessGroup(ExportedItem it, Map<String, String> ids, Map<String, ExportedItem> byKey) {
        ExportedItem p = it;
        for (int depth = 0; p != null && depth < 32; depth++) {
            if (p.typeCode() == org.arc4j.gb28181.platform.GbDeviceId.BUSINESS_GROUP) {
                return ids.get(p.localKey());
            }
            p = p.parentKey() == null ? null : byKey.get(p.parentKey());
        }
        return "";
    }
}
