package org.arc4j.protocols.onvif;

import java.time.Instant;
import java.util.Map;

/**
 * One event notification as delivered by {@code PullMessages} (WS-BaseNotification §3.2, ONVIF Core §9.2 "Event
 * handling"). Immutable.
 *
 * @param topic             the topic with namespace prefixes removed from each segment, e.g.
 *                          {@code RuleEngine/CellMotionDetector/Motion}
 * @param rawTopic          the topic text as sent, trimmed (e.g. {@code tns1:RuleEngine/CellMotionDetector/Motion})
 * @param utcTime           the {@code UtcTime} attribute, or null when absent or unreadable
 * @param utcTimeText       the {@code UtcTime} attribute as sent, or empty
 * @param propertyOperation {@code Initialized}, {@code Changed}, {@code Deleted}, or empty
 * @param source            the {@code Source} simple items, in order
 * @param key               the {@code Key} simple items, in order
 * @param data              the {@code Data} simple items, in order
 */
public record NotificationMessage(String topic, String rawTopic, Instant utcTime, String utcTimeText,
                                  String propertyOperation, Map<String, String> source, Map<String, String> key,
                                  Map<String, String> data) {
    /** Copies the maps (keeping their order). */
    public NotificationMessage {
        source = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(source));
        key = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(key));
        data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }

    /** @return true when the device reports the current state after a subscription was made */
    public boolean initialized() {
        return "Initialized".equalsIgnoreCase(propertyOperation);
    }
}
