package org.arc4j.core.security;

/**
 * The cost of an Argon2id hash (RFC 9106), recorded with every hash so that it can be raised later without
 * invalidating stored hashes. Immutable.
 *
 * @param memoryKiB   memory in KiB (the {@code m} of RFC 9106), at least 8 × parallelism
 * @param iterations  passes over memory ({@code t}), at least 1
 * @param parallelism lanes ({@code p}), 1 to 255
 * @param saltLength  salt bytes, at least 8
 * @param hashLength  tag bytes, at least 16
 */
public record Argon2Parameters(int memoryKiB, int iterations, int parallelism, int saltLength, int hashLength) {
    /**
     * The production default: 64 MiB, 3 passes, 1 lane, 16-byte salt, 32-byte tag (above RFC 9106's second
     * recommended option and OWASP's minimum for Argon2id).
     */
    public static final Argon2Parameters DEFAULT = new Argon2Parameters(65536, 3, 1, 16, 32);

    /** Validates the ranges. */
    public Argon2Parameters {
        if (parallelism < 1 || parallelism > 255) {
            throw new IllegalArgumentException("parallelism must be 1..255: " + parallelism);
        }
        if (memoryKiB < 8 * parallelism) {
            throw new IllegalArgumentException("memory must be at least 8 KiB per lane: " + memoryKiB);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        if (saltLength < 8) {
            throw new IllegalArgumentException("salt must be at least 8 bytes: " + saltLength);
        }
        if (hashLength < 16) {
            throw new IllegalArgumentException("hash must be at least 16 bytes: " + hashLength);
        }
    }

    /**
     * Whether these parameters are weaker than others in any cost dimension (a stored hash made with weaker
     * parameters should be replaced at the next successful login).
     *
     * @param other the wanted parameters
     * @return true if any of memory, iterations or lengths is lower
     */
    public boolean weakerThan(Argon2Parameters other) {
        return memoryKiB < other.memoryKiB || iterations < other.iterations || saltLength < other.saltLength
                || hashLength < other.hashLength;
    }
}
