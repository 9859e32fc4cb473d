package org.arc4j.protocols.onvif;

import java.time.Duration;
import java.time.Instant;

/**
 * A device's clock as {@code GetSystemDateAndTime} reports it (ONVIF Core §8.3.1). The device must answer it
 * without authentication, so the client learns the clock offset it needs for WS-Security {@code Created} from
 * it. Immutable.
 *
 * @param utc             the device's UTC time, or null when it reported only local time
 * @param dateTimeType    {@code Manual} or {@code NTP}, as sent
 * @param daylightSavings whether daylight saving is on
 * @param timeZone        the POSIX TZ string, or null
 */
public record SystemDateAndTime(Instant utc, String dateTimeType, boolean daylightSavings, String timeZone) {
    /**
     * The device clock's error against ours: device minus centre (GA 1383 requires a known clock error of the
     * front-end devices it times alarms from).
     *
     * @param centreNow our time when the answer arrived
     * @return the error, or null when the device reported no UTC time
     */
    public Duration clockError(Instant centreNow) {
        return utc == null ? null : Duration.between(centreNow, utc);
    }
}
