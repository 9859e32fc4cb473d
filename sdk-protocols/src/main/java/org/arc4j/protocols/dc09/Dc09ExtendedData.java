package org.arc4j.protocols.dc09;

import java.util.Objects;

/**
 * One extended data block {@code [Xvalue]} after the message data (DC-09 extended data, following §5.5.1.7): {@code X}
 * longitude, {@code Y} latitude, {@code H} event time, {@code M} MAC address, {@code V} verification link,
 * {@code I} text, {@code K} key change, {@code L}, {@code S} and any other letter. Kept exactly as received,
 * never dropped.
 *
 * @param id    the identifying letter, {@code A}–{@code Z} or {@code a}–{@code z}
 * @param value the value as received (printable ASCII, no {@code ]})
 */
public record Dc09ExtendedData(char id, String value) {
    /** Validates the letter and value. */
    public Dc09ExtendedData {
        Objects.requireNonNull(value, "value");
        if (!((id >= 'A' && id <= 'Z') || (id >= 'a' && id <= 'z'))) {
            throw new IllegalArgumentException("extended data id must be a letter: " + id);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E || c == ']' || c == '[') {
                throw new IllegalArgumentException("extended data value has a forbidden character at " + i);
            }
        }
    }

    /** @return the block as written on the wire, {@code [Xvalue]} */
    public String wire() {
        return "[" + id + value + "]";
    }

    /** @return the block as on the wire, except that a key-change value ({@code K}) is redacted for logs */
    @Override
    public String toString() {
        return id == 'K' ? "[K<redacted>]" : wire();
    }
}
