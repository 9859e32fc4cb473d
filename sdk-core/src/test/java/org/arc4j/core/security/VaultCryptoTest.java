package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.internal.Aead;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The vault's primitives against published vectors and independent implementations. */
class VaultCryptoTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void sm4GcmMatchesRfc8998() throws Exception {
        // RFC 8998, Appendix A.1 (SM4-GCM test vector)
        byte[] key = HEX.parseHex("0123456789ABCDEFFEDCBA9876543210");
        byte[] iv = HEX.parseHex("00001234567800000000ABCD");
        byte[] aad = HEX.parseHex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
        byte[] pt = HEX.parseHex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
                + "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
        String ctAndTag = "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
                + "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
                + "83DE3541E4C2B58177E065A9BF7B62EC";
        byte[] sealed = Aead.seal(VaultCipher.SM4_GCM, key, iv, aad, pt);
        assertThat(HEX.withUpperCase().formatHex(sealed)).isEqualTo(ctAndTag);
        assertThat(Aead.open(VaultCipher.SM4_GCM, key, iv, aad, sealed)).isEqualTo(pt);
        sealed[3] ^= 0x40;
        assertThatThrownBy(() -> Aead.open(VaultCipher.SM4_GCM, key, iv, aad, sealed))
                .isInstanceOf(Aead.TagMismatch.class);
    }

    /** The kept corpus (src/test/resources/fuzz/VaultCryptoTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(VaultCryptoTest.class, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void jdkAesGcmAgreesWithBouncyCastleOverManyLengths(FuzzSeeds.Seed seed) throws Exception {
        seed.check(() -> {
            Random r = new Random(seed.value());
            for (int len = 0; len <= 300; len += 13) {
                byte[] key = new byte[32];
                byte[] iv = new byte[12];
                byte[] aad = new byte[len % 41];
                byte[] pt = new byte[len];
                r.nextBytes(key);
                r.nextBytes(iv);
                r.nextBytes(aad);
                r.nextBytes(pt);
                byte[] jdk = Aead.seal(VaultCipher.AES_GCM, key, iv, aad, pt);
                byte[] bc = Aead.bcGcm(AESEngine.newInstance(), true, key, iv, aad, pt);
                assertThat(jdk).as("length %d", len).isEqualTo(bc).hasSize(len + 16);
                assertThat(Aead.open(VaultCipher.AES_GCM, key, iv, aad, jdk)).isEqualTo(pt);
            }
        });
    }

    @Test
    void wrappingKeyIsHkdfSha256() {
        Secret material = Secret.ofHex("8f3c0a5e71d2b49e06a7c3f15d8e2b90c4f71a36e5d02b8c9a1f47e3d6b05c28");
        KeyEncryptionKey kek = KeyEncryptionKey.of(material);
        byte[] salt = HEX.parseHex("00112233445566778899aabbccddeeff");
        for (VaultCipher c : VaultCipher.values()) {
            HKDFBytesGenerator oracle = new HKDFBytesGenerator(new SHA256Digest());
            oracle.init(new HKDFParameters(material.copyBytes(), salt,
                    ("arc4j vault kek " + c.name()).getBytes(StandardCharsets.US_ASCII)));
            byte[] expected = new byte[c.keyLength()];
            oracle.generateBytes(expected, 0, expected.length);
            assertThat(kek.wrappingKey(salt, c)).isEqualTo(expected);
        }
        assertThat(kek.id()).hasSize(16).isNotEqualTo(KeyEncryptionKey.of(
                Secret.ofHex("9f3c0a5e71d2b49e06a7c3f15d8e2b90c4f71a36e5d02b8c9a1f47e3d6b05c28")).id());
    }
}
