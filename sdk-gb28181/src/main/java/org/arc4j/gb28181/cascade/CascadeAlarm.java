package org.arc4j.gb28181.cascade;

import java.time.Instant;
import java.util.Objects;

/**
 * An alarm to forward to an upper platform as {@code Notify}/{@code Alarm} (GB/T 28181-2016 9.4, A.2.5.3; GA 1383
 * 警情转发).
 *
 * @param reference   what the forward is for, unique per upper platform (e.g. the case id): forwarding the same
 *                    reference twice while it is pending is the same forward
 * @param localKey    the {@link ExportedItem#localKey()} of the device or channel that raised it (its exported ID is
 *                    the DeviceID of the Notify), or null to send it as the centre itself
 * @param priority    AlarmPriority 1 (highest) – 4
 * @param method      AlarmMethod 1–7 (1 telephone, 2 device, 3 SMS, 4 GPS, 5 video, 6 device fault, 7 other)
 * @param type        AlarmType, or null
 * @param time        when it was raised
 * @param description AlarmDescription, or null
 */
public record CascadeAlarm(String reference, String localKey, int priority, int method, Integer type, Instant time,
                           String description) {
    /** Validates the parts. */
    public CascadeAlarm {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(time, "time");
        if (priority < 1 || priority > 4) {
            throw new IllegalArgumentException("priority must be 1-4: " + priority);
        }
        if (method < 1 || method > 7) {
            throw new IllegalArgumentException("method must be 1-7: " + method);
        }
    }
}
