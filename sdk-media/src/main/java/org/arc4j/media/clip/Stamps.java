package org.arc4j.media.clip;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The fixed-width time formats of clip names and metadata. */
final class Stamps {
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Stamps() {
    }

    static String compact(Instant t) {
        return COMPACT.format(t);
    }

    /** Always 24 characters (years 0000–9999), so metadata can be rewritten in place. */
    static String millis(Instant t) {
        return MILLIS.format(t);
    }
}
