package org.arc4j.examples.center.supervise;

import java.time.Instant;
import java.util.Objects;

/**
 * A prompt to the operators (GA 1383 设备状态检测: offline devices are prompted by voice or text): shown and spoken
 * by the console until an operator acknowledges it, or cleared by itself when its cause ends (the device is back).
 *
 * @param id             the prompt's id
 * @param kind           {@code offline}, {@code late-to-test}, {@code inspection} or {@code forward}
 * @param subject        the device (or case) it is about
 * @param text           what the operator reads and hears
 * @param raisedAt       when it was raised, on the centre's clock
 * @param acknowledgedBy the operator who acknowledged it, or null
 * @param clearedAt      when its cause ended, or null
 */
public record Prompt(String id, String kind, String subject, String text, Instant raisedAt, String acknowledgedBy,
                     Instant clearedAt) {
    /** Validates the parts. */
    public Prompt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(raisedAt, "raisedAt");
    }

    /** @return true while it asks for attention: neither acknowledged nor cleared */
    public boolean active() {
        return acknowledgedBy == null && clearedAt == null;
    }
}
