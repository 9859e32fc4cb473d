package org.arc4j.gb28181.manscdp;

import java.util.List;
import java.util.Map;

/**
 * One part of a RecordInfo answer (GB/T 28181-2016 A.2.6.7): SumNum and the record items of this MESSAGE,
 * each as its fields (DeviceID, Name, FilePath, Address, StartTime, EndTime, Secrecy, Type). Immutable.
 *
 * @param deviceId the channel
 * @param sn       the SN of the query
 * @param sumNum   the total, -1 if absent
 * @param records  the items of this part
 */
public record RecordInfoResponse(String deviceId, long sn, int sumNum, List<Map<String, String>> records) {
    /** Copies the list. */
    public RecordInfoResponse {
        records = List.copyOf(records);
    }

    /**
     * @param d the document
     * @return the part
     */
    public static RecordInfoResponse of(ManscdpDocument d) {
        ManscdpElement list = d.root().child("RecordList");
        List<Map<String, String>> items = list == null ? List.of()
                : list.children("Item").stream().map(ManscdpElement::flat).toList();
        Integer sum = ManscdpAlarm.integer(d.text("SumNum"));
        return new RecordInfoResponse(d.deviceId(), d.sn(), sum == null ? -1 : sum, items);
    }
}
