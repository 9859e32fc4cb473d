package org.arc4j.core.security;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stored Argon2id password hash in the PHC string format of the reference implementation
 * ({@code $argon2id$v=19$m=65536,t=3,p=1$<salt>$<tag>}, unpadded standard Base64), so that the parameters travel
 * with the hash. {@link #toString()} shows the parameters only: a hash is not a secret, but it is what an
 * offline guesser needs. Immutable.
 */
public final class PasswordHash {
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,9}),t=(\\d{1,6}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");

    private final Argon2Parameters parameters;
    private final byte[] salt;
    private final byte[] tag;

    /**
     * A hash from its parts.
     *
     * @param parameters the parameters it was made with (salt and hash lengths must match the arrays)
     * @param salt       the salt (copied)
     * @param tag        the Argon2id output (copied)
     */
    public PasswordHash(Argon2Parameters parameters, byte[] salt, byte[] tag) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        if (salt.length != parameters.saltLength() || tag.length != parameters.hashLength()) {
            throw new IllegalArgumentException("salt or tag length does not match the parameters");
        }
        this.salt = salt.clone();
        this.tag = tag.clone();
    }

    /**
     * Parses a PHC string.
     *
     * @param encoded the string
     * @return the hash
     * @throws IllegalArgumentException if it is not an Argon2id v19 PHC string (the message does not repeat it)
     */
    public static PasswordHash parse(String encoded) {
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an argon2id v=19 PHC string");
        }
        Base64.Decoder d = Base64.getDecoder();
        byte[] salt = d.decode(m.group(4));
        byte[] tag = d.decode(m.group(5));
        Argon2Parameters p = new Argon2Parameters(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), salt.length, tag.length);
        return new PasswordHash(p, salt, tag);
    }

    /** @return the PHC string, for storage */
    public String encoded() {
        Base64.Encoder e = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + parameters.memoryKiB() + ",t=" + parameters.iterations() + ",p="
                + parameters.parallelism() + "$" + e.encodeToString(salt) + "$" + e.encodeToString(tag);
    }

    /** @return the parameters it was made with */
    public Argon2Parameters parameters() {
        return parameters;
    }

    /** @return a copy of the salt */
    public byte[] salt() {
        return salt.clone();
    }

    /** @return a copy of the tag */
    public byte[] tag() {
        return tag.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash h && parameters.equals(h.parameters) && Arrays.equals(salt, h.salt)
                && Arrays.equals(tag, h.tag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(parameters, Arrays.hashCode(salt));
    }

    /** @return the algorithm and parameters, never the salt or tag */
    @Override
    public String toString() {
        return "PasswordHash[argon2id m=" + parameters.memoryKiB() + ",t=" + parameters.iterations() + ",p="
                + parameters.parallelism() + "]";
    }
}
