package org.arc4j.gb28181.manscdp;

import java.util.List;

/**
 * The answer to a DeviceStatus query (GB/T 28181-2016 A.2.6.6): online, working status, recording, and the
 * alarm status of each alarm input. Immutable.
 *
 * @param deviceId the device
 * @param sn       the SN of the query
 * @param result   Result, or null
 * @param online   Online (ONLINE/OFFLINE), or null
 * @param status   Status (OK/ERROR), or null
 * @param record   Record (ON/OFF), or null
 * @param alarms   AlarmStatus items as (DeviceID, DutyStatus: ONDUTY, OFFDUTY, ALARM)
 * @param encode   Encode (ON/OFF): whether the device is encoding, or null
 * @param reason   Reason: why Status is ERROR, or null
 */
public record DeviceStatusResponse(String deviceId, long sn, String result, String online, String status,
                                   String record, List<AlarmInputStatus> alarms, String encode, String reason) {
    /**
     * The duty status of one alarm input.
     *
     * @param deviceId   the alarm input's ID
     * @param dutyStatus ONDUTY, OFFDUTY or ALARM
     */
    public record AlarmInputStatus(String deviceId, String dutyStatus) {
    }

    /** Copies the list. */
    public DeviceStatusResponse {
        alarms = List.copyOf(alarms);
    }

    /**
     * An answer without Encode and Reason.
     *
     * @param deviceId the device
     * @param sn       the SN of the query
     * @param result   Result, or null
     * @param online   Online, or null
     * @param status   Status, or null
     * @param record   Record, or null
     * @param alarms   AlarmStatus items
     */
    public DeviceStatusResponse(String deviceId, long sn, String result, String online, String status, String record,
                                List<AlarmInputStatus> alarms) {
        this(deviceId, sn, result, online, status, record, alarms, null, null);
    }

    /**
     * @param d the document
     * @return the answer
     */
    public static DeviceStatusResponse of(ManscdpDocument d) {
        ManscdpElement as = d.root().child("Alarmstatus");
        if (as == null) {
            as = d.root().child("AlarmStatus");
        }
        List<AlarmInputStatus> alarms = as == null ? List.of() : as.children("Item").stream()
                .map(i -> new AlarmInputStatus(i.childText("DeviceID"), i.childText("DutyStatus"))).toList();
        return new DeviceStatusResponse(d.deviceId(), d.sn(), d.text("Result"), d.text("Online"), d.text("Status"),
                d.text("Record"), alarms, d.text("Encode"), d.text("Reason"));
    }
}
