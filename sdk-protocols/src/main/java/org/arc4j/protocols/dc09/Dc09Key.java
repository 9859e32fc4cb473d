package org.arc4j.protocols.dc09;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.arc4j.core.credentials.Credential;

/**
 * An AES key for DC-09 encryption (DC-09 encryption, cipher block chaining §5.4.6): AES-128, -192 or -256 in CBC mode
 * with an all-zero IV, no padding by the cipher (the message carries its own pad).
 *
 * <p>Thread-safe. Uses the JDK's AES (hardware-accelerated); the initialised cipher instances are cached per
 * key and per thread, so a receive path does no cipher lookup or key schedule per message. The key bytes are
 * held only inside the JDK's key object; {@link #toString()} never shows them.
 */
public final class Dc09Key {
    private static final IvParameterSpec ZERO_IV = new IvParameterSpec(new byte[16]);

    private final SecretKeySpec spec;
    private final int bits;
    private final boolean weak;
    private final ThreadLocal<Cipher> encryptor;
    private final ThreadLocal<Cipher> decryptor;

    private Dc09Key(byte[] key) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("a DC-09 key has 16, 24 or 32 bytes, not " + key.length);
        }
        this.spec = new SecretKeySpec(key, "AES");
        this.bits = key.length * 8;
        this.weak = isWeak(key);
        this.encryptor = ThreadLocal.withInitial(() -> cipher(Cipher.ENCRYPT_MODE));
        this.decryptor = ThreadLocal.withInitial(() -> cipher(Cipher.DECRYPT_MODE));
    }

    private Cipher cipher(int mode) {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(mode, spec, ZERO_IV);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/CBC/NoPadding", e);
        }
    }

    /**
     * A key from its bytes (copied).
     *
     * @param key 16, 24 or 32 bytes
     * @return the key
     * @throws IllegalArgumentException for another length
     */
    public static Dc09Key of(byte[] key) {
        return new Dc09Key(key.clone());
    }

    /**
     * A key from hex digits, as panels are configured (32, 48 or 64 digits).
     *
     * @param hex the digits, either case
     * @return the key
     * @throws IllegalArgumentException for anything else; the message does not repeat the text
     */
    public static Dc09Key ofHex(CharSequence hex) {
        if (!(hex.length() == 32 || hex.length() == 48 || hex.length() == 64) || !Dc09Frame.isHex(hex)) {
            throw new IllegalArgumentException("a hex DC-09 key has 32, 48 or 64 hex digits");
        }
        return new Dc09Key(HexFormat.of().parseHex(hex));
    }

    /**
     * A key typed as text and used byte for byte, as some panels are configured (16, 24 or 32 ASCII
     * characters).
     *
     * @param text the text
     * @return the key
     */
    public static Dc09Key ofText(CharSequence text) {
        byte[] b = new byte[text.length()];
        for (int i = 0; i < b.length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("a text DC-09 key is printable ASCII");
            }
            b[i] = (byte) c;
        }
        return new Dc09Key(b);
    }

    /**
     * The key a credential holds. With {@link Credential#OPTION_KEY_FORMAT} {@code hex} (the default) the
     * secret is the key's bytes ({@code Secret.ofHex}), or its 32/48/64 hex digits as text; with {@code text}
     * the secret is the typed text, used byte for byte.
     *
     * @param credential the credential
     * @return the key
     * @throws IllegalArgumentException if the secret is not a valid key in that format
     */
    public static Dc09Key of(Credential credential) {
        boolean text = "text".equalsIgnoreCase(credential.option(Credential.OPTION_KEY_FORMAT));
        return credential.secret().reveal(b -> {
            if (text) {
                return ofText(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
            }
            if (b.length == 16 || b.length == 24 || b.length == 32) {
                return of(b);
            }
            return ofHex(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
        });
    }

    /**
     * A new key given in a {@code [K…]} key-change block, read in the account's key format.
     *
     * @param value      the block's value
     * @param credential the account's current credential, whose format applies
     * @return the new key
     * @throws IllegalArgumentException if the value is not a valid key in that format
     */
    public static Dc09Key ofKeyChange(String value, Credential credential) {
        boolean text = "text".equalsIgnoreCase(credential.option(Credential.OPTION_KEY_FORMAT));
        return text ? ofText(value) : ofHex(value);
    }

    /** @return the key size in bits: 128, 192 or 256 */
    public int bits() {
        return bits;
    }

    /**
     * Whether this is a known-weak key that installed panels ship with: all bytes equal (all zero, all
     * {@code A}) or each byte one more or one less than the previous ({@code 000102…}, {@code 0123…} as text).
     *
     * @return true for a weak key
     */
    public boolean isWeak() {
        return weak;
    }

    private static boolean isWeak(byte[] k) {
        boolean same = true;
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < k.length; i++) {
            same &= k[i] == k[0];
            up &= (byte) (k[i - 1] + 1) == k[i];
            down &= (byte) (k[i - 1] - 1) == k[i];
        }
        return same || up || down;
    }

    /**
     * Encrypts whole blocks.
     *
     * @param plain  the plaintext
     * @param offset where it starts
     * @param length its length, a multiple of 16
     * @return the ciphertext, same length
     */
    public byte[] encrypt(byte[] plain, int offset, int length) {
        return run(encryptor.get(), plain, offset, length);
    }

    /**
     * Decrypts whole blocks.
     *
     * @param cipherText the ciphertext
     * @param offset     where it starts
     * @param length     its length, a multiple of 16
     * @return the plaintext, same length
     */
    public byte[] decrypt(byte[] cipherText, int offset, int length) {
        return run(decryptor.get(), cipherText, offset, length);
    }

    private static byte[] run(Cipher c, byte[] in, int offset, int length) {
        if (length % 16 != 0) {
            throw new IllegalArgumentException("AES-CBC needs whole 16-byte blocks, got " + length + " bytes");
        }
        try {
            // doFinal resets the cipher to its initial state (zero IV) for the next message
            return c.doFinal(in, offset, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC failed on whole blocks", e);
        }
    }

    @Override
    public String toString() {
        return "Dc09Key[AES-" + bits + (weak ? ", weak" : "") + ", redacted]";
    }
}
