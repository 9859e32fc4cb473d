package org.arc4j.core.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A metric's name and tags, e.g. {@code dc09.frames} with {@code outcome=nak, reason=timestamp}.
 * Tags keep the order given.
 *
 * @param name the dotted name
 * @param tags alternating tag names and values
 */
public record MetricId(String name, List<String> tags) {
    /** Validates the name and that tags come in pairs. */
    public MetricId {
        Objects.requireNonNull(name, "name");
        if (tags.size() % 2 != 0) {
            throw new IllegalArgumentException("tags come in name/value pairs: " + tags);
        }
        tags = Collections.unmodifiableList(new ArrayList<>(tags));
    }

    /**
     * Shorthand constructor.
     *
     * @param name the name
     * @param tags alternating tag names and values
     * @return the id
     */
    public static MetricId of(String name, String... tags) {
        return new MetricId(name, List.of(tags));
    }

    /**
     * A tag's value.
     *
     * @param tag the tag name
     * @return its value, or null
     */
    public String tag(String tag) {
        for (int i = 0; i < tags.size(); i += 2) {
            if (tags.get(i).equals(tag)) {
                return tags.get(i + 1);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        for (int i = 0; i < tags.size(); i += 2) {
            sb.append(i == 0 ? '{' : ',').append(tags.get(i)).append('=').append(tags.get(i + 1));
        }
        return tags.isEmpty() ? sb.toString() : sb.append('}').toString();
    }
}
