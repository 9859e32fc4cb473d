package org.arc4j.core.security.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.arc4j.core.security.VaultCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One-shot AEAD encryption for the vault: AES-GCM from the JDK, SM4-GCM from BouncyCastle's low-level
 * {@code GCMBlockCipher} over {@code SM4Engine} (no provider registration needed). 96-bit nonce, 128-bit tag
 * appended to the ciphertext. Stateless and thread-safe.
 */
public final class Aead {
    /** Nonce length in bytes. */
    public static final int NONCE_LENGTH = 12;
    /** Tag length in bits. */
    public static final int TAG_BITS = 128;

    private Aead() {
    }

    /** A decryption whose tag did not verify: wrong key, or altered data. */
    public static final class TagMismatch extends Exception {
        private static final long serialVersionUID = 1L;

        TagMismatch(Throwable cause) {
            super("authentication tag mismatch", cause);
        }
    }

    /**
     * Encrypts.
     *
     * @param cipher    which cipher
     * @param key       the key, {@link VaultCipher#keyLength()} bytes
     * @param nonce     a fresh nonce, 12 bytes, never reused under the key
     * @param aad       associated data
     * @param plaintext the plaintext
     * @return ciphertext followed by the tag
     */
    public static byte[] seal(VaultCipher cipher, byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        try {
            return run(cipher, true, key, nonce, aad, plaintext);
        } catch (TagMismatch e) {
            throw new IllegalStateException("encryption cannot fail authentication", e);
        }
    }

    /**
     * Decrypts and verifies.
     *
     * @param cipher     which cipher
     * @param key        the key
     * @param nonce      the nonce used to seal
     * @param aad        the associated data used to seal
     * @param ciphertext ciphertext followed by the tag
     * @return the plaintext
     * @throws TagMismatch if the key, nonce, data or tag do not match
     */
    public static byte[] open(VaultCipher cipher, byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext)
            throws TagMismatch {
        return run(cipher, false, key, nonce, aad, ciphertext);
    }

    private static byte[] run(VaultCipher cipher, boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] in)
            throws TagMismatch {
        if (key.length != cipher.keyLength() || nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("key or nonce length does not fit " + cipher);
        }
        return switch (cipher) {
            case AES_GCM -> jdkAesGcm(encrypt, key, nonce, aad, in);
            case SM4_GCM -> bcGcm(new SM4Engine(), encrypt, key, nonce, aad, in);
        };
    }

    private static byte[] jdkAesGcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] in)
            throws TagMismatch {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            return c.doFinal(in);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new TagMismatch(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * GCM over a BouncyCastle block cipher (also the independent oracle for the JDK's AES-GCM in tests).
     *
     * @param engine  the block cipher
     * @param encrypt direction
     * @param key     the key
     * @param nonce   the nonce
     * @param aad     associated data
     * @param in      input
     * @return output
     * @throws TagMismatch if decryption fails to verify
     */
    public static byte[] bcGcm(org.bouncycastle.crypto.BlockCipher engine, boolean encrypt, byte[] key, byte[] nonce,
                               byte[] aad, byte[] in) throws TagMismatch {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(engine);
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, aad));
        byte[] out = new byte[gcm.getOutputSize(in.length)];
        int n = gcm.processBytes(in, 0, in.length, out, 0);
        try {
            n += gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new TagMismatch(e);
        }
        if (n == out.length) {
            return out;
        }
        byte[] exact = new byte[n];
        System.arraycopy(out, 0, exact, 0, n);
        return exact;
    }
}
