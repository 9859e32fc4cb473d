package org.arc4j.core.intake;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What identifies one message on the wire, so that a retransmission is recognised and acknowledged again
 * without a second event — also after a restart, since durable intakes store the key with the events.
 *
 * <p>Adapters build it from the fields that make the message unique for its sender, leaving out what
 * changes between retransmissions: for DC-09, the protocol token, receiver, line, account, sequence number
 * and the data without pad or timestamp. Parts are joined with a separator that cannot occur in them
 * (U+001F), so {@code ("ab","c")} and {@code ("a","bc")} differ.
 *
 * <p>Immutable; equal when the text is equal.
 */
public final class IdempotencyKey {
    private static final char SEPARATOR = '\u001f';
    private final String value;

    private IdempotencyKey(String value) {
        this.value = value;
    }

    /**
     * A key from a scope (the adapter, e.g. {@code dc09}) and the parts that identify the message.
     * Null parts count as empty.
     *
     * @param scope the adapter's scope
     * @param parts the identifying parts
     * @return the key
     */
    public static IdempotencyKey of(String scope, CharSequence... parts) {
        StringBuilder sb = new StringBuilder(Objects.requireNonNull(scope, "scope"));
        for (CharSequence p : parts) {
            sb.append(SEPARATOR);
            if (p != null) {
                for (int i = 0; i < p.length(); i++) {
                    char c = p.charAt(i);
                    if (c == SEPARATOR) {
                        throw new IllegalArgumentException("key part contains U+001F");
                    }
                    sb.append(c);
                }
            }
        }
        return new IdempotencyKey(sb.toString());
    }

    /**
     * Restores a key from its {@link #value()} (as a store keeps it).
     *
     * @param value the stored text
     * @return the key
     */
    public static IdempotencyKey ofValue(String value) {
        return new IdempotencyKey(Objects.requireNonNull(value, "value"));
    }

    /** @return the key's text, as a store keeps it */
    public String value() {
        return value;
    }

    /** @return the key's UTF-8 bytes */
    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdempotencyKey && ((IdempotencyKey) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** @return the key with its separators shown as {@code |} */
    @Override
    public String toString() {
        return value.replace(SEPARATOR, '|');
    }
}
