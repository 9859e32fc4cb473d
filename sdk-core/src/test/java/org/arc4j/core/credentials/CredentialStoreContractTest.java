package org.arc4j.core.credentials;

import org.arc4j.core.testkit.InMemoryCredentialStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.arc4j.core.security.CredentialVault;
import org.arc4j.core.security.KeyEncryptionKey;
import org.arc4j.core.security.VaultCipher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link CredentialStore} contract; implementations join in {@link #implementations()}. */
class CredentialStoreContractTest {

    static Stream<Arguments> implementations() {
        Supplier<CredentialStore> inMemory = InMemoryCredentialStore::new;
        Supplier<CredentialStore> vaultAes = () -> vault(VaultCipher.AES_GCM);
        Supplier<CredentialStore> vaultSm4 = () -> vault(VaultCipher.SM4_GCM);
        return Stream.of(Arguments.of("in-memory", inMemory), Arguments.of("vault AES-GCM", vaultAes),
                Arguments.of("vault SM4-GCM", vaultSm4));
    }

    private static CredentialStore vault(VaultCipher cipher) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "vault-contract")), "v");
            KeyEncryptionKey kek = KeyEncryptionKey.fromEnvironment("KEK",
                    Map.of("KEK", KeyEncryptionKey.generate(new SecureRandom()).revealUtf8()));
            return CredentialVault.open(dir, kek, cipher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void storesFindsReplacesAndRemoves(String name, Supplier<CredentialStore> factory) {
        CredentialStore store = factory.get();
        CredentialKey dc09 = CredentialKey.of(CredentialKind.DC09_KEY, "R1/L1/#1234");
        CredentialKey sip = CredentialKey.of(CredentialKind.SIP_PASSWORD, "34020000001320000001");
        assertThat(store.find(dc09)).isEmpty();

        store.put(dc09, new Credential(null, Secret.ofHex("000102030405060708090A0B0C0D0E0F"),
                Map.of(Credential.OPTION_KEY_FORMAT, "hex")));
        store.put(sip, new Credential("34020000001320000001", Secret.ofUtf8("12345"), Map.of()));

        Credential c = store.find(dc09).orElseThrow();
        assertThat(c.secret().copyBytes()).hasSize(16).startsWith(0, 1, 2, 3);
        assertThat(c.option(Credential.OPTION_KEY_FORMAT)).isEqualTo("hex");
        assertThat(store.find(sip).orElseThrow().secret()).isEqualTo(Secret.ofUtf8("12345"));
        assertThat(store.keys(CredentialKind.DC09_KEY)).containsExactly(dc09);

        store.put(dc09, Credential.of(Secret.ofHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")));
        assertThat(store.find(dc09).orElseThrow().secret()).isEqualTo(Secret.ofHex("ffffffffffffffffffffffffffffffff"));

        assertThat(store.remove(dc09)).isTrue();
        assertThat(store.remove(dc09)).isFalse();
        assertThat(store.find(dc09)).isEmpty();
        assertThat(store.find(sip)).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void scopesAreExactAndKindsSeparate(String name, Supplier<CredentialStore> factory) {
        CredentialStore store = factory.get();
        store.put(CredentialKey.of(CredentialKind.DC09_KEY, "1234"), Credential.of(Secret.ofUtf8("k")));
        assertThat(store.find(CredentialKey.of(CredentialKind.DC09_KEY, "01234"))).isEmpty();
        assertThat(store.find(CredentialKey.of(CredentialKind.SIP_PASSWORD, "1234"))).isEmpty();
        assertThat(store.keys(CredentialKind.SIP_PASSWORD)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void nothingTheStoreReturnsPrintsTheSecret(String name, Supplier<CredentialStore> factory) {
        CredentialStore store = factory.get();
        CredentialKey k = CredentialKey.of(CredentialKind.ONVIF_LOGIN, "cam-1");
        store.put(k, new Credential("admin", Secret.ofUtf8("Canary-7f3a9c"), Map.of()));
        Credential c = store.find(k).orElseThrow();
        assertThat(c.toString()).contains("admin").doesNotContain("Canary-7f3a9c");
        assertThat(String.valueOf(c.secret())).doesNotContain("Canary");
        assertThat(c.secret().revealUtf8()).isEqualTo("Canary-7f3a9c");
    }
}
