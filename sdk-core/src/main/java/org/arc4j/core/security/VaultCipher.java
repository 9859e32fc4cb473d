package org.arc4j.core.security;

/**
 * The authenticated ciphers a {@link CredentialVault} encrypts with. Both use a 96-bit nonce and a 128-bit tag;
 * the choice is recorded in the vault file and bound into every ciphertext's associated data.
 */
public enum VaultCipher {
    /** AES-256 in GCM (NIST SP 800-38D), from the JDK (hardware-accelerated). The default. */
    AES_GCM(32),
    /**
     * SM4 (GB/T 32907-2016) in GCM (RFC 8998), from BouncyCastle's {@code SM4Engine}: for deployments that must use
     * the national (商用密码) algorithms.
     */
    SM4_GCM(16);

    private final int keyLength;

    VaultCipher(int keyLength) {
        this.keyLength = keyLength;
    }

    /** @return the key length in bytes */
    public int keyLength() {
        return keyLength;
    }
}
