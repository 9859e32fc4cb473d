package org.arc4j.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.internal.Aead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device credential vault: DC-09 AES keys, GB/T 28181 SIP passwords, ONVIF logins and serial settings, kept
 * encrypted at rest in one file of a data directory (GA 1383 保密安全; 安全性、可靠性: 接入设备认证). Envelope
 * encryption: the credentials are sealed with a random data key under the chosen {@link VaultCipher} (AES-GCM by
 * default, SM4-GCM selectable); the data key is sealed under a key derived (HKDF-SHA256) from the
 * {@link KeyEncryptionKey}, which never lies in the data directory — so the data directory alone, or a backup of
 * it, decrypts nothing.
 *
 * <p>The file {@value #FILE_NAME} is JSON: format, cipher, KEK fingerprint, salt, sealed data key and sealed body;
 * each ciphertext's associated data binds the format and cipher, so neither can be swapped. Every change rewrites
 * the file through a forced temporary file and an atomic rename.
 *
 * <p>One vault instance per data directory: the instance holds the credentials in memory and rewrites the whole
 * file on each change. The file is readable by its owner only (on file systems with POSIX permissions).
 *
 * <p>Rotation: {@link #rotateKek} re-seals the data key under a new KEK (the old KEK no longer opens the vault);
 * {@link #rotateDataKey} re-encrypts everything under a fresh data key, optionally with another cipher.
 *
 * <p>Thread-safe. {@link #find} and {@link #keys} serve from memory and never block; {@link #put},
 * {@link #remove} and rotation write the file and belong on worker threads. Nothing here logs, prints or
 * throws a secret. The vault stores what it is given: the policy check of weak keys and its audited override
 * belong to {@link DeviceCredentials}, which wraps any {@link CredentialStore}.
 */
public final class CredentialVault implements CredentialStore {
    /** The vault file's name inside the data directory. */
    public static final String FILE_NAME = "credentials.vault";
    /** The file format version. */
    public static final int FORMAT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(CredentialVault.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SALT_LENGTH = 16;

    private final Path file;
    private final SecureRandom random;
    private final ConcurrentHashMap<CredentialKey, Credential> entries = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private KeyEncryptionKey kek;
    private VaultCipher cipher;
    private byte[] dataKey;

    private CredentialVault(Path file, KeyEncryptionKey kek, VaultCipher cipher, SecureRandom random) {
        this.file = file;
        this.kek = kek;
        this.cipher = cipher;
        this.random = random;
    }

    /**
     * Opens the vault in a data directory with AES-GCM for a new vault.
     *
     * @param dataDirectory the data directory (created if missing)
     * @param kek           the key-encryption key
     * @return the open vault
     * @throws VaultException if the KEK is wrong or the file is damaged or unreadable
     */
    public static CredentialVault open(Path dataDirectory, KeyEncryptionKey kek) {
        return open(dataDirectory, kek, VaultCipher.AES_GCM);
    }

    /**
     * Opens the vault in a data directory, or creates an empty one there with the given cipher. An existing vault
     * keeps the cipher recorded in its file (change it with {@link #rotateDataKey(VaultCipher)}).
     *
     * @param dataDirectory the data directory (created if missing)
     * @param kek           the key-encryption key
     * @param cipherForNew  the cipher of a new vault
     * @return the open vault
     * @throws VaultException if the KEK is wrong or the file is damaged or unreadable
     */
    public static CredentialVault open(Path dataDirectory, KeyEncryptionKey kek, VaultCipher cipherForNew) {
        Objects.requireNonNull(kek, "kek");
        Objects.requireNonNull(cipherForNew, "cipherForNew");
        Path file = dataDirectory.resolve(FILE_NAME);
        CredentialVault v = new CredentialVault(file, kek, cipherForNew, new SecureRandom());
        try {
            Files.createDirectories(dataDirectory);
            if (Files.exists(file)) {
                v.load();
            } else {
                v.dataKey = v.randomBytes(cipherForNew.keyLength());
                v.write();
            }
        } catch (IOException e) {
            throw new VaultException(VaultException.Reason.IO, "cannot open the vault in " + dataDirectory, e);
        }
        LOG.info("credential vault opened at {}: {} credentials, {}, KEK {}", file, v.entries.size(), v.cipher,
                kek.id());
        return v;
    }

    /** @return the cipher the vault is encrypted with */
    public VaultCipher cipher() {
        synchronized (writeLock) {
            return cipher;
        }
    }

    /** @return the vault file */
    public Path file() {
        return file;
    }

    @Override
    public Optional<Credential> find(CredentialKey key) {
        return Optional.ofNullable(entries.get(Objects.requireNonNull(key, "key")));
    }

    @Override
    public void put(CredentialKey key, Credential credential) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(credential, "credential");
        synchronized (writeLock) {
            Credential before = entries.put(key, credential);
            try {
                write();
            } catch (IOException | RuntimeException e) {
                if (before == null) {
                    entries.remove(key);
                } else {
                    entries.put(key, before);
                }
                throw e instanceof VaultException ve ? ve
                        : new VaultException(VaultException.Reason.IO, "cannot write " + file, e);
            }
        }
        LOG.debug("credential {} {} stored in the vault", key.kind(), key.scope());
    }

    @Override
    public boolean remove(CredentialKey key) {
        synchronized (writeLock) {
            Credential before = entries.remove(key);
            if (before == null) {
                return false;
            }
            try {
                write();
            } catch (IOException | RuntimeException e) {
                entries.put(key, before);
                throw e instanceof VaultException ve ? ve
                        : new VaultException(VaultException.Reason.IO, "cannot write " + file, e);
            }
        }
        LOG.debug("credential {} {} removed from the vault", key.kind(), key.scope());
        return true;
    }

    @Override
    public Set<CredentialKey> keys(CredentialKind kind) {
        return entries.keySet().stream().filter(k -> k.kind() == kind).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Re-seals the data key under a new key-encryption key. Afterwards only the new KEK opens the vault; retire
     * the old one.
     *
     * @param newKek the new KEK
     */
    public void rotateKek(KeyEncryptionKey newKek) {
        Objects.requireNonNull(newKek, "newKek");
        synchronized (writeLock) {
            KeyEncryptionKey old = kek;
            kek = newKek;
            try {
                write();
            } catch (IOException | RuntimeException e) {
                kek = old;
                throw e instanceof VaultException ve ? ve
                        : new VaultException(VaultException.Reason.IO, "cannot write " + file, e);
            }
            LOG.info("credential vault {}: key-encryption key rotated from {} to {}", file, old.id(), newKek.id());
        }
    }

    /** Re-encrypts every credential under a fresh data key, keeping the cipher. */
    public void rotateDataKey() {
        rotateDataKey(cipher());
    }

    /**
     * Re-encrypts every credential under a fresh data key for a cipher (switching between AES-GCM and SM4-GCM).
     *
     * @param newCipher the cipher from now on
     */
    public void rotateDataKey(VaultCipher newCipher) {
        Objects.requireNonNull(newCipher, "newCipher");
        synchronized (writeLock) {
            VaultCipher oldCipher = cipher;
            byte[] oldKey = dataKey;
            cipher = newCipher;
            dataKey = randomBytes(newCipher.keyLength());
            try {
                write();
                Arrays.fill(oldKey, (byte) 0);
            } catch (IOException | RuntimeException e) {
                Arrays.fill(dataKey, (byte) 0);
                cipher = oldCipher;
                dataKey = oldKey;
                throw e instanceof VaultException ve ? ve
                        : new VaultException(VaultException.Reason.IO, "cannot write " + file, e);
            }
            LOG.info("credential vault {}: data key rotated ({} to {})", file, oldCipher, newCipher);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] aad(VaultCipher c, String part) {
        return ("arc4j-vault/" + FORMAT + "/" + c.name() + "/" + part).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the whole vault; called with the write lock held. */
    private void write() throws IOException {
        byte[] salt = randomBytes(SALT_LENGTH);
        byte[] wrap = kek.wrappingKey(salt, cipher);
        byte[] body = null;
        try {
            byte[] dekNonce = randomBytes(Aead.NONCE_LENGTH);
            byte[] sealedKey = Aead.seal(cipher, wrap, dekNonce, aad(cipher, "data-key"), dataKey);
            body = encodeBody();
            byte[] bodyNonce = randomBytes(Aead.NONCE_LENGTH);
            byte[] sealedBody = Aead.seal(cipher, dataKey, bodyNonce, aad(cipher, "body"), body);
            Base64.Encoder b64 = Base64.getEncoder();
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("cipher", cipher.name());
            root.put("kek", kek.id());
            root.put("salt", b64.encodeToString(salt));
            root.put("dataKey", b64.encodeToString(concat(dekNonce, sealedKey)));
            root.put("body", b64.encodeToString(concat(bodyNonce, sealedBody)));
            writeAtomically(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } finally {
            Arrays.fill(wrap, (byte) 0);
            if (body != null) {
                Arrays.fill(body, (byte) 0);
            }
        }
    }

    private void writeAtomically(byte[] content) throws IOException {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
                // only the centre's own user reads the vault, before any content is written
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private byte[] encodeBody() throws IOException {
        ArrayNode list = JSON.createArrayNode();
        Base64.Encoder b64 = Base64.getEncoder();
        for (Map.Entry<CredentialKey, Credential> e : entries.entrySet()) {
            ObjectNode n = list.addObject();
            n.put("kind", e.getKey().kind().name());
            n.put("scope", e.getKey().scope());
            Credential c = e.getValue();
            if (c.username() != null) {
                n.put("username", c.username());
            }
            n.put("secret", c.secret().reveal(b64::encodeToString));
            ObjectNode opts = n.putObject("options");
            c.options().forEach(opts::put);
        }
        return JSON.writeValueAsBytes(list);
    }

    private void load() throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new VaultException(VaultException.Reason.CORRUPT, file + " is not a vault file", e);
        }
        if (root == null || root.path("format").asInt() != FORMAT) {
            throw new VaultException(VaultException.Reason.CORRUPT, file + " has an unknown format");
        }
        VaultCipher c;
        byte[] salt;
        byte[] sealedKey;
        byte[] sealedBody;
        try {
            c = VaultCipher.valueOf(root.path("cipher").asText());
            Base64.Decoder b64 = Base64.getDecoder();
            salt = b64.decode(root.path("salt").asText());
            sealedKey = b64.decode(root.path("dataKey").asText());
            sealedBody = b64.decode(root.path("body").asText());
        } catch (IllegalArgumentException e) {
            throw new VaultException(VaultException.Reason.CORRUPT, file + " has a malformed header", e);
        }
        String kekId = root.path("kek").asText();
        if (!kekId.equals(kek.id())) {
            throw new VaultException(VaultException.Reason.WRONG_KEK, file + " was sealed under key-encryption key "
                    + kekId + ", not " + kek.id());
        }
        byte[] wrap = kek.wrappingKey(salt, c);
        byte[] body = null;
        try {
            byte[] key = open(c, wrap, sealedKey, aad(c, "data-key"), VaultException.Reason.WRONG_KEK);
            body = open(c, key, sealedBody, aad(c, "body"), VaultException.Reason.CORRUPT);
            decodeBody(body);
            this.cipher = c;
            this.dataKey = key;
        } finally {
            Arrays.fill(wrap, (byte) 0);
            if (body != null) {
                Arrays.fill(body, (byte) 0);
            }
        }
    }

    private byte[] open(VaultCipher c, byte[] key, byte[] nonceAndSealed, byte[] aad, VaultException.Reason onFail) {
        if (nonceAndSealed.length < Aead.NONCE_LENGTH + Aead.TAG_BITS / 8) {
            throw new VaultException(VaultException.Reason.CORRUPT, file + " holds a truncated ciphertext");
        }
        byte[] nonce = Arrays.copyOf(nonceAndSealed, Aead.NONCE_LENGTH);
        byte[] sealed = Arrays.copyOfRange(nonceAndSealed, Aead.NONCE_LENGTH, nonceAndSealed.length);
        try {
            return Aead.open(c, key, nonce, aad, sealed);
        } catch (Aead.TagMismatch e) {
            throw new VaultException(onFail, file + " does not decrypt: "
                    + (onFail == VaultException.Reason.WRONG_KEK ? "wrong key-encryption key or altered data key"
                    : "altered or damaged data"));
        }
    }

    private void decodeBody(byte[] body) throws IOException {
        JsonNode list = JSON.readTree(body);
        Base64.Decoder b64 = Base64.getDecoder();
        Map<CredentialKey, Credential> loaded = new HashMap<>();
        for (JsonNode n : list) {
            CredentialKey key = CredentialKey.of(CredentialKind.valueOf(n.path("kind").asText()),
                    n.path("scope").asText());
            String username = n.hasNonNull("username") ? n.get("username").asText() : null;
            byte[] secret = b64.decode(n.path("secret").asText());
            Map<String, String> options = new HashMap<>();
            for (Map.Entry<String, JsonNode> o : n.path("options").properties()) {
                options.put(o.getKey(), o.getValue().asText());
            }
            loaded.put(key, new Credential(username, Secret.of(secret), options));
            Arrays.fill(secret, (byte) 0);
        }
        entries.clear();
        entries.putAll(loaded);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return "CredentialVault[" + file + ", " + cipher() + ", " + entries.size() + " credentials]";
    }
}
