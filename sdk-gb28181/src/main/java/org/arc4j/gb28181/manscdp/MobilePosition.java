package org.arc4j.gb28181.manscdp;

import java.time.LocalDateTime;

/**
 * A mobile position report ({@code Notify}/{@code MobilePosition}, GB/T 28181-2016 A.2.5 and §9.11): where a
 * vehicle or body-worn device was, as it reports on subscription. Immutable.
 *
 * @param deviceId  the reporting device
 * @param time      Time, device-local, or null
 * @param longitude Longitude, or null
 * @param latitude  Latitude, or null
 * @param speed     Speed in km/h, or null
 * @param direction Direction in degrees from north, or null
 * @param altitude  Altitude in metres, or null
 */
public record MobilePosition(String deviceId, LocalDateTime time, Double longitude, Double latitude, Double speed,
                             Double direction, Double altitude) {
    /**
     * @param d the document
     * @return the position
     */
    public static MobilePosition of(ManscdpDocument d) {
        return new MobilePosition(d.deviceId(), ManscdpAlarm.time(d.text("Time")), ManscdpAlarm.decimal(
                d.text("Longitude")), ManscdpAlarm.decimal(d.text("Latitude")), ManscdpAlarm.decimal(d.text("Speed")),
                ManscdpAlarm.decimal(d.text("Direction")), ManscdpAlarm.decimal(d.text("Altitude")));
    }
}
