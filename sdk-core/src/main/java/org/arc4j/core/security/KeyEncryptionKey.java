package org.arc4j.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.arc4j.core.credentials.Secret;

/**
 * The key-encryption key (KEK) of a {@link CredentialVault}: 32 random bytes that are never stored beside the data
 * they protect (GA 1383 保密安全; 安全性、可靠性: no weak keys). It comes from an environment variable or from a file
 * outside the data directory, written as 64 hex digits or as Base64. A weak KEK (all zero, sequential, a repeated
 * pattern) is refused. Its {@link #id()} is a fingerprint that tells which KEK a vault needs without revealing it.
 *
 * <p>Immutable; {@link #toString()} shows only the fingerprint.
 */
public final class KeyEncryptionKey {
    /** The KEK length in bytes. */
    public static final int LENGTH = 32;

    private final Secret material;
    private final String id;

    private KeyEncryptionKey(Secret material) {
        this.material = material;
        this.id = material.reveal(KeyEncryptionKey::fingerprint);
    }

    /**
     * A KEK from 32 bytes an integrator holds (from a key management service or HSM).
     *
     * @param material the 32 bytes
     * @return the KEK
     * @throws VaultException {@link VaultException.Reason#KEK_MALFORMED} or {@link VaultException.Reason#KEK_WEAK}
     */
    public static KeyEncryptionKey of(Secret material) {
        if (material.length() != LENGTH) {
            throw new VaultException(VaultException.Reason.KEK_MALFORMED,
                    "a key-encryption key has " + LENGTH + " bytes, not " + material.length());
        }
        PasswordCheck check = PasswordPolicy.defaults().checkDeviceKey(material);
        if (!check.accepted()) {
            throw new VaultException(VaultException.Reason.KEK_WEAK, "weak key-encryption key: " + check.rules());
        }
        return new KeyEncryptionKey(Secret.of(material.copyBytes()));
    }

    /**
     * A KEK from the process environment.
     *
     * @param variable the variable's name (e.g. {@code ARC4J_VAULT_KEK})
     * @return the KEK
     * @throws VaultException if the variable is missing, malformed or weak
     */
    public static KeyEncryptionKey fromEnvironment(String variable) {
        return fromEnvironment(variable, System.getenv());
    }

    /**
     * A KEK from an environment given as a map (for tests and launchers that build the environment).
     *
     * @param variable    the variable's name
     * @param environment the environment
     * @return the KEK
     * @throws VaultException if the variable is missing, malformed or weak
     */
    public static KeyEncryptionKey fromEnvironment(String variable, Map<String, String> environment) {
        String text = environment.get(variable);
        if (text == null || text.isBlank()) {
            throw new VaultException(VaultException.Reason.KEK_MISSING,
                    "environment variable " + variable + " is not set");
        }
        return of(decode(text.strip(), "environment variable " + variable));
    }

    /**
     * A KEK from a file that lies outside the data directory (symbolic links resolved) and that other users cannot
     * read (where the file system has POSIX permissions).
     *
     * @param file          the KEK file
     * @param dataDirectory the vault's data directory
     * @return the KEK
     * @throws VaultException if the file is missing, inside the data directory, readable by others, malformed or
     *                        weak
     */
    public static KeyEncryptionKey fromFile(Path file, Path dataDirectory) {
        if (!Files.isRegularFile(file)) {
            throw new VaultException(VaultException.Reason.KEK_MISSING, "no key-encryption key file at " + file);
        }
        try {
            Path real = file.toRealPath();
            Path data = Files.exists(dataDirectory) ? dataDirectory.toRealPath()
                    : dataDirectory.toAbsolutePath().normalize();
            if (real.startsWith(data)) {
                throw new VaultException(VaultException.Reason.KEK_INSIDE_DATA_DIRECTORY,
                        "the key-encryption key file " + file + " lies inside the data directory " + dataDirectory
                                + "; keep it elsewhere, or a copy of the data directory decrypts the vault");
            }
            PosixFileAttributeView posix = Files.getFileAttributeView(real, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (posix != null) {
                Set<PosixFilePermission> perms = posix.readAttributes().permissions();
                if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                    throw new VaultException(VaultException.Reason.KEK_FILE_EXPOSED,
                            "the key-encryption key file " + file + " is readable by other users (chmod 600)");
                }
            }
            byte[] raw = Files.readAllBytes(real);
            try {
                return of(decode(new String(raw, StandardCharsets.US_ASCII).strip(), "file " + file));
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (IOException e) {
            throw new VaultException(VaultException.Reason.IO, "cannot read " + file, e);
        }
    }

    /**
     * A fresh random KEK text, for setting up a centre (write it to the variable or file, never into the data
     * directory).
     *
     * @param random the source
     * @return 64 hex digits as a secret
     */
    public static Secret generate(java.security.SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        try {
            return Secret.ofUtf8(HexFormat.of().formatHex(b));
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    private static Secret decode(String text, String where) {
        if (text.length() == 2 * LENGTH && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Secret.ofHex(text);
        }
        try {
            byte[] b = Base64.getDecoder().decode(text);
            try {
                return Secret.of(b);
            } finally {
                Arrays.fill(b, (byte) 0);
            }
        } catch (IllegalArgumentException e) {
            throw new VaultException(VaultException.Reason.KEK_MALFORMED,
                    where + " holds neither 64 hex digits nor Base64");
        }
    }

    /** @return a fingerprint of the KEK (16 hex digits of an HMAC under it), safe to store and log */
    public String id() {
        return id;
    }

    /**
     * Derives a wrapping key for one vault and cipher (HKDF-SHA256, RFC 5869).
     *
     * @param salt   the vault's random salt
     * @param cipher the cipher
     * @return the wrapping key, {@link VaultCipher#keyLength()} bytes; the caller zeroes it after use
     */
    byte[] wrappingKey(byte[] salt, VaultCipher cipher) {
        return material.reveal(ikm -> hkdf(ikm, salt, ("arc4j vault kek " + cipher.name())
                .getBytes(StandardCharsets.US_ASCII), cipher.keyLength()));
    }

    private static String fingerprint(byte[] key) {
        byte[] mac = hmac(key, "arc4j vault kek id".getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac, 0, 8);
    }

    private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
        byte[] prk = hmac(salt, ikm);
        byte[] t = new byte[0];
        byte[] okm = new byte[length];
        int done = 0;
        for (int i = 1; done < length; i++) {
            byte[] input = new byte[t.length + info.length + 1];
            System.arraycopy(t, 0, input, 0, t.length);
            System.arraycopy(info, 0, input, t.length, info.length);
            input[input.length - 1] = (byte) i;
            t = hmac(prk, input);
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, okm, done, n);
            done += n;
        }
        Arrays.fill(prk, (byte) 0);
        Arrays.fill(t, (byte) 0);
        return okm;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyEncryptionKey k && material.equals(k.material);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }

    /** @return {@code KeyEncryptionKey[id=…]}, never the key */
    @Override
    public String toString() {
        return "KeyEncryptionKey[id=" + id + "]";
    }
}
