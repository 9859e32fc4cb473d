package org.arc4j.gb28181.manscdp;

import java.util.ArrayList;
import java.util.List;

/**
 * One part of a Catalog answer ({@code Response}/{@code Catalog}, GB/T 28181-2016 A.2.6.3): the total
 * {@code SumNum} and the items this MESSAGE carries. A full answer arrives in several MESSAGEs until SumNum
 * unique items are in. Immutable.
 *
 * @param deviceId the answering device
 * @param sn       the SN of the query
 * @param sumNum   the total number of items, -1 if absent
 * @param items    the items of this part
 */
public record CatalogResponse(String deviceId, long sn, int sumNum, List<CatalogItem> items) {
    /** Copies the list. */
    public CatalogResponse {
        items = List.copyOf(items);
    }

    /**
     * Reads a part from a decoded document ({@code Response} or {@code Notify} with CmdType Catalog).
     *
     * @param d the document
     * @return the part
     */
    public static CatalogResponse of(ManscdpDocument d) {
        List<CatalogItem> items = new ArrayList<>();
        ManscdpElement list = d.root().child("DeviceList");
        if (list != null) {
            for (ManscdpElement e : list.children("Item")) {
                CatalogItem i = CatalogItem.of(e);
                if (i != null) {
                    items.add(i);
                }
            }
        }
        Integer sum = ManscdpAlarm.integer(d.text("SumNum"));
        return new CatalogResponse(d.deviceId(), d.sn(), sum == null ? -1 : sum, items);
    }
}
