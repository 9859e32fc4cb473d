package org.arc4j.gb28181.manscdp;

/**
 * The answer to a DeviceInfo query (GB/T 28181-2016 A.2.6.5). Immutable.
 *
 * @param deviceId     the device
 * @param sn           the SN of the query
 * @param result       Result (OK/ERROR), or null
 * @param deviceName   DeviceName, or null
 * @param manufacturer Manufacturer, or null
 * @param model        Model, or null
 * @param firmware     Firmware, or null
 * @param channels     Channel (number of channels), or -1
 */
public record DeviceInfoResponse(String deviceId, long sn, String result, String deviceName, String manufacturer,
                                 String model, String firmware, int channels) {
    /**
     * @param d the document
     * @return the answer
     */
    public static DeviceInfoResponse of(ManscdpDocument d) {
        Integer ch = ManscdpAlarm.integer(d.text("Channel"));
        return new DeviceInfoResponse(d.deviceId(), d.sn(), d.text("Result"), d.text("DeviceName"),
                d.text("Manufacturer"), d.text("Model"), d.text("Firmware"), ch == null ? -1 : ch);
    }
}
