package org.arc4j.core.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.arc4j.core.credentials.Secret;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

/**
 * Argon2id password hashing (RFC 9106) with BouncyCastle's {@code Argon2BytesGenerator}: a fresh random salt per
 * hash, the parameters recorded in the {@link PasswordHash}, verification with the stored parameters and a
 * constant-time comparison. GA 1383 安全性、可靠性 (operator passwords).
 *
 * <p>Thread-safe. Hashing is deliberately slow and memory-hungry (64 MiB by default): call it on a worker
 * thread, never on an event loop.
 */
public final class PasswordHasher {
    private final Argon2Parameters parameters;
    private final SecureRandom random;

    /**
     * A hasher producing hashes with the given parameters.
     *
     * @param parameters the cost of new hashes
     * @param random     the salt source
     */
    public PasswordHasher(Argon2Parameters parameters, SecureRandom random) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** @return a hasher with {@link Argon2Parameters#DEFAULT} and a new {@link SecureRandom} */
    public static PasswordHasher defaults() {
        return new PasswordHasher(Argon2Parameters.DEFAULT, new SecureRandom());
    }

    /** @return the parameters new hashes get */
    public Argon2Parameters parameters() {
        return parameters;
    }

    /**
     * Hashes a password with a fresh salt.
     *
     * @param password the password (its UTF-8 bytes are hashed)
     * @return the hash
     */
    public PasswordHash hash(Secret password) {
        byte[] salt = new byte[parameters.saltLength()];
        random.nextBytes(salt);
        byte[] tag = password.reveal(pw -> derive(parameters, salt, pw));
        try {
            return new PasswordHash(parameters, salt, tag);
        } finally {
            Arrays.fill(tag, (byte) 0);
        }
    }

    /**
     * Checks a password against a stored hash, with the hash's own parameters; the tags are compared in
     * constant time.
     *
     * @param password the password offered
     * @param stored   the stored hash
     * @return true if they match
     */
    public boolean verify(Secret password, PasswordHash stored) {
        byte[] salt = stored.salt();
        byte[] expected = stored.tag();
        byte[] actual = password.reveal(pw -> derive(stored.parameters(), salt, pw));
        try {
            return MessageDigest.isEqual(expected, actual);
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    /**
     * Whether a stored hash was made with weaker parameters than this hasher's and should be replaced after the
     * next successful verification.
     *
     * @param stored the stored hash
     * @return true if it should be rehashed
     */
    public boolean needsRehash(PasswordHash stored) {
        return stored.parameters().weakerThan(parameters);
    }

    private static byte[] derive(Argon2Parameters p, byte[] salt, byte[] password) {
        org.bouncycastle.crypto.params.Argon2Parameters bc =
                new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                        org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                        .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                        .withMemoryAsKB(p.memoryKiB())
                        .withIterations(p.iterations())
                        .withParallelism(p.parallelism())
                        .withSalt(salt)
                        .build();
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(bc);
        byte[] out = new byte[p.hashLength()];
        g.generateBytes(password, out);
        return out;
    }
}
