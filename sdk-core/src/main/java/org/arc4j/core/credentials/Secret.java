package org.arc4j.core.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Function;

/**
 * A secret value — an AES key, a password — that never shows itself: {@link #toString()} prints
 * {@code Secret[redacted]}, it has no getter that returns its bytes by accident, and {@link #equals} compares
 * in constant time. Code that needs the bytes asks explicitly with {@link #reveal(Function)} or
 * {@link #copyBytes()}.
 *
 * <p>Immutable until {@link #destroy()}, which zeroes the bytes; a destroyed secret throws on use.
 * Thread-safe for reads.
 */
public final class Secret {
    private final byte[] bytes;
    private volatile boolean destroyed;

    private Secret(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * A secret from bytes (copied).
     *
     * @param bytes the secret bytes
     * @return the secret
     */
    public static Secret of(byte[] bytes) {
        return new Secret(Objects.requireNonNull(bytes, "bytes").clone());
    }

    /**
     * A secret from text, as its UTF-8 bytes (a password, or a key typed as text).
     *
     * @param text the text
     * @return the secret
     */
    public static Secret ofUtf8(CharSequence text) {
        return new Secret(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A secret from hexadecimal digits (an AES key as panels are configured: 32, 48 or 64 digits).
     *
     * @param hex the digits, either case
     * @return the secret
     * @throws IllegalArgumentException if the text is not an even number of hex digits; the message does not
     *                                  repeat the text
     */
    public static Secret ofHex(CharSequence hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("hex secret has an odd number of digits (" + hex.length() + ")");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("hex secret has a non-hex character at position " + i);
            }
        }
        return new Secret(HexFormat.of().parseHex(hex));
    }

    /** @return the number of bytes */
    public int length() {
        return bytes.length;
    }

    /**
     * Gives the bytes to a function without copying them. The function must not keep or change them.
     *
     * @param use the function
     * @param <T> its result type
     * @return the function's result
     */
    public <T> T reveal(Function<byte[], T> use) {
        check();
        return use.apply(bytes);
    }

    /** @return a copy of the bytes; the caller should zero it after use */
    public byte[] copyBytes() {
        check();
        return bytes.clone();
    }

    /** @return the bytes decoded as UTF-8 text (for a password) */
    public String revealUtf8() {
        check();
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Zeroes the bytes; every later use throws {@link IllegalStateException}. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    /** @return true after {@link #destroy()} */
    public boolean isDestroyed() {
        return destroyed;
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("secret was destroyed");
        }
    }

    /** Constant-time comparison of the bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret && MessageDigest.isEqual(bytes, ((Secret) o).bytes);
    }

    /** A constant: a hash would leak information about the secret. */
    @Override
    public int hashCode() {
        return 0x5EC12E7;
    }

    /** @return {@code Secret[redacted]}, never the value */
    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
