package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CredentialVaultTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final CredentialKey DC09 = CredentialKey.of(CredentialKind.DC09_KEY, "R1/L1/#1234");
    private static final CredentialKey SIP = CredentialKey.of(CredentialKind.SIP_PASSWORD, "34020000001320000001");
    private static final CredentialKey ONVIF = CredentialKey.of(CredentialKind.ONVIF_LOGIN, "cam-7");
    private static final String CANARY = "Canary-Vault-5d2e71";
    private static final String DC09_HEX = "3A7F1C92E05B48D6A1C3F7092B6E8D14";

    @TempDir
    Path tmp;

    private static KeyEncryptionKey newKek() {
        return KeyEncryptionKey.fromEnvironment("ARC4J_VAULT_KEK",
                Map.of("ARC4J_VAULT_KEK", KeyEncryptionKey.generate(RANDOM).revealUtf8()));
    }

    private static void fill(CredentialVault v) {
        v.put(DC09, new Credential(null, Secret.ofHex(DC09_HEX), Map.of(Credential.OPTION_KEY_FORMAT, "hex")));
        v.put(SIP, new Credential("34020000001320000001", Secret.ofUtf8("Sip#Pw-4471x"), Map.of()));
        v.put(ONVIF, new Credential("operator", Secret.ofUtf8(CANARY), Map.of("profile", "main")));
    }

    private static void assertFilled(CredentialVault v) {
        assertThat(v.find(DC09).orElseThrow().secret()).isEqualTo(Secret.ofHex(DC09_HEX));
        assertThat(v.find(DC09).orElseThrow().option(Credential.OPTION_KEY_FORMAT)).isEqualTo("hex");
        assertThat(v.find(SIP).orElseThrow().username()).isEqualTo("34020000001320000001");
        assertThat(v.find(SIP).orElseThrow().secret().revealUtf8()).isEqualTo("Sip#Pw-4471x");
        assertThat(v.find(ONVIF).orElseThrow().secret().revealUtf8()).isEqualTo(CANARY);
        assertThat(v.find(ONVIF).orElseThrow().options()).containsEntry("profile", "main");
        assertThat(v.keys(CredentialKind.DC09_KEY)).containsExactly(DC09);
    }

    @ParameterizedTest
    @EnumSource(VaultCipher.class)
    void encryptsDecryptsAndRotatesForEachCipher(VaultCipher cipher) {
        Path data = tmp.resolve("data");
        KeyEncryptionKey kek = newKek();
        CredentialVault v = CredentialVault.open(data, kek, cipher);
        fill(v);
        assertThat(v.cipher()).isEqualTo(cipher);

        CredentialVault reopened = CredentialVault.open(data, kek, VaultCipher.AES_GCM);
        assertThat(reopened.cipher()).as("an existing vault keeps its cipher").isEqualTo(cipher);
        assertFilled(reopened);

        KeyEncryptionKey next = newKek();
        reopened.rotateKek(next);
        assertFilled(CredentialVault.open(data, next));
        assertThatThrownBy(() -> CredentialVault.open(data, kek))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.WRONG_KEK));

        CredentialVault afterKek = CredentialVault.open(data, next);
        afterKek.rotateDataKey();
        assertFilled(CredentialVault.open(data, next));
        afterKek.remove(SIP);
        assertThat(CredentialVault.open(data, next).find(SIP)).isEmpty();
    }

    @Test
    void switchesCipherByRotatingTheDataKey() throws IOException {
        Path data = tmp.resolve("data");
        KeyEncryptionKey kek = newKek();
        CredentialVault v = CredentialVault.open(data, kek, VaultCipher.AES_GCM);
        fill(v);
        v.rotateDataKey(VaultCipher.SM4_GCM);
        assertThat(Files.readString(v.file())).contains("\"SM4_GCM\"");
        CredentialVault sm4 = CredentialVault.open(data, kek);
        assertThat(sm4.cipher()).isEqualTo(VaultCipher.SM4_GCM);
        assertFilled(sm4);
        sm4.rotateDataKey(VaultCipher.AES_GCM);
        assertFilled(CredentialVault.open(data, kek));
    }

    @Test
    void theDataDirectoryAloneCannotDecryptTheVault() throws IOException {
        Path data = tmp.resolve("data");
        KeyEncryptionKey kek = newKek();
        fill(CredentialVault.open(data, kek, VaultCipher.AES_GCM));

        // an attacker copies the data directory: it holds the vault file and nothing else
        Path stolen = tmp.resolve("stolen");
        Files.createDirectories(stolen);
        try (Stream<Path> files = Files.list(data)) {
            List<Path> all = files.toList();
            assertThat(all).extracting(p -> p.getFileName().toString()).containsExactly(CredentialVault.FILE_NAME);
            for (Path f : all) {
                Files.copy(f, stolen.resolve(f.getFileName()));
            }
        }
        Path vaultFile = data.resolve(CredentialVault.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vaultFile))).isEqualTo("rw-------");
        byte[] raw = Files.readAllBytes(stolen.resolve(CredentialVault.FILE_NAME));
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        for (String needle : List.of(CANARY, DC09_HEX, DC09_HEX.toLowerCase(), "Sip#Pw-4471x",
                Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8)),
                Base64.getEncoder().encodeToString(HexFormat.of().parseHex(DC09_HEX)), "R1/L1/#1234", "cam-7",
                "34020000001320000001")) {
            assertThat(text).as("the file must not show %s", needle).doesNotContain(needle);
        }

        // without the KEK nothing opens, even with the header rewritten to name the attacker's key
        KeyEncryptionKey guess = newKek();
        assertThatThrownBy(() -> CredentialVault.open(stolen, guess))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.WRONG_KEK));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(raw);
        root.put("kek", guess.id());
        Files.write(stolen.resolve(CredentialVault.FILE_NAME), json.writeValueAsBytes(root));
        assertThatThrownBy(() -> CredentialVault.open(stolen, guess))
                .isInstanceOfSatisfying(VaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(VaultException.Reason.WRONG_KEK);
                    assertThat(e.getMessage()).doesNotContain(CANARY);
                });
        assertFilled(CredentialVault.open(data, kek));
    }

    @Test
    void tamperingIsDetected() throws IOException {
        Path data = tmp.resolve("data");
        KeyEncryptionKey kek = newKek();
        fill(CredentialVault.open(data, kek, VaultCipher.AES_GCM));
        Path file = data.resolve(CredentialVault.FILE_NAME);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        byte[] body = Base64.getDecoder().decode(root.get("body").asText());
        body[body.length / 2] ^= 1;
        root.put("body", Base64.getEncoder().encodeToString(body));
        Files.write(file, json.writeValueAsBytes(root));
        assertThatThrownBy(() -> CredentialVault.open(data, kek))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.CORRUPT));

        fill(CredentialVault.open(tmp.resolve("data2"), kek, VaultCipher.AES_GCM));
        Path file2 = tmp.resolve("data2").resolve(CredentialVault.FILE_NAME);
        ObjectNode swapped = (ObjectNode) json.readTree(file2.toFile());
        swapped.put("cipher", "SM4_GCM");
        Files.write(file2, json.writeValueAsBytes(swapped));
        assertThatThrownBy(() -> CredentialVault.open(tmp.resolve("data2"), kek)).isInstanceOf(VaultException.class);

        Files.writeString(file2, "not json at all");
        assertThatThrownBy(() -> CredentialVault.open(tmp.resolve("data2"), kek))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.CORRUPT));
    }

    @Test
    void kekFileMustLieOutsideTheDataDirectory() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        String hex = KeyEncryptionKey.generate(RANDOM).revealUtf8();

        Path inside = data.resolve("kek.txt");
        Files.writeString(inside, hex);
        Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> KeyEncryptionKey.fromFile(inside, data))
                .isInstanceOfSatisfying(VaultException.class, e -> {
                    assertThat(e.reason()).isEqualTo(VaultException.Reason.KEK_INSIDE_DATA_DIRECTORY);
                    assertThat(e.getMessage()).doesNotContain(hex);
                });
        Path nested = Files.createDirectories(data.resolve("keys")).resolve("kek");
        Files.writeString(nested, hex);
        assertThatThrownBy(() -> KeyEncryptionKey.fromFile(nested, data.resolve("keys/..")))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.KEK_INSIDE_DATA_DIRECTORY));

        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        Path link = secrets.resolve("kek-link");
        Files.createSymbolicLink(link, inside);
        assertThatThrownBy(() -> KeyEncryptionKey.fromFile(link, data))
                .as("a symbolic link from outside into the data directory is still inside")
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.KEK_INSIDE_DATA_DIRECTORY));

        Path outside = secrets.resolve("kek");
        Files.writeString(outside, hex + "\n");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> KeyEncryptionKey.fromFile(outside, data))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.KEK_FILE_EXPOSED));
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-------"));
        KeyEncryptionKey fromFile = KeyEncryptionKey.fromFile(outside, data);
        assertThat(fromFile).isEqualTo(KeyEncryptionKey.fromEnvironment("K", Map.of("K", hex)));
        assertThat(fromFile.toString()).doesNotContain(hex).contains(fromFile.id());

        Path b64 = secrets.resolve("kek.b64");
        Files.writeString(b64, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
        Files.setPosixFilePermissions(b64, PosixFilePermissions.fromString("r--------"));
        assertThat(KeyEncryptionKey.fromFile(b64, data)).isEqualTo(fromFile);
        fill(CredentialVault.open(data, fromFile));
        assertFilled(CredentialVault.open(data, KeyEncryptionKey.fromFile(b64, data)));
    }

    @Test
    void missingMalformedOrWeakKeksAreRefused() {
        assertThatThrownBy(() -> KeyEncryptionKey.fromEnvironment("ARC4J_TEST_KEK_THAT_IS_NOT_SET"))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.KEK_MISSING));
        assertThatThrownBy(() -> KeyEncryptionKey.fromEnvironment("K", Map.of("K", "abc!")))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.KEK_MALFORMED));
        assertThatThrownBy(() -> KeyEncryptionKey.fromEnvironment("K", Map.of("K", "00".repeat(32))))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.KEK_WEAK));
        StringBuilder seq = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            seq.append(String.format("%02x", i));
        }
        assertThatThrownBy(() -> KeyEncryptionKey.fromEnvironment("K", Map.of("K", seq.toString())))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.KEK_WEAK));
        assertThatThrownBy(() -> KeyEncryptionKey.of(Secret.ofHex("3A7F1C92E05B48D6A1C3F7092B6E8D14")))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.KEK_MALFORMED));
        assertThatThrownBy(() -> KeyEncryptionKey.fromFile(tmp.resolve("nope"), tmp.resolve("data")))
                .isInstanceOfSatisfying(VaultException.class,
                        e -> assertThat(e.reason()).isEqualTo(VaultException.Reason.KEK_MISSING));
    }

    /** The kept corpus (src/test/resources/fuzz/CredentialVaultTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(CredentialVaultTest.class, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void everyOneByteCorruptionIsRefusedOrHarmless(FuzzSeeds.Seed seed) throws IOException {
        seed.check(() -> {
            Path data = tmp.resolve("data");
            KeyEncryptionKey kek = newKek();
            fill(CredentialVault.open(data, kek, VaultCipher.SM4_GCM));
            Path file = data.resolve(CredentialVault.FILE_NAME);
            byte[] original = Files.readAllBytes(file);
            Random r = new Random(seed.value());
            int refused = 0;
            for (int i = 0; i < 300; i++) {
                byte[] mutated = original.clone();
                int at = r.nextInt(mutated.length);
                mutated[at] = (byte) (mutated[at] ^ (1 + r.nextInt(255)));
                Files.write(file, mutated);
                try {
                    // a change that leaves the JSON meaning intact (e.g. in whitespace) must still give the same data
                    assertFilled(CredentialVault.open(data, kek));
                } catch (VaultException e) {
                    refused++;
                    assertThat(e.reason()).isIn(VaultException.Reason.CORRUPT, VaultException.Reason.WRONG_KEK);
                    assertThat(e.getMessage()).doesNotContain(CANARY);
                }
            }
            assertThat(refused).isGreaterThan(200);
            Files.write(file, original);
            assertFilled(CredentialVault.open(data, kek));
        });
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        Path data = tmp.resolve("data");
        KeyEncryptionKey kek = newKek();
        CredentialVault v = CredentialVault.open(data, kek);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        v.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, "dev-" + thread + "-" + i),
                                Credential.of(Secret.ofUtf8("Pw#" + thread + "x" + i + "Qz")));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        CredentialVault reopened = CredentialVault.open(data, kek);
        assertThat(reopened.keys(CredentialKind.SIP_PASSWORD)).hasSize(40);
        assertThat(reopened.find(CredentialKey.of(CredentialKind.SIP_PASSWORD, "dev-3-9")).orElseThrow().secret())
                .isEqualTo(Secret.ofUtf8("Pw#3x9Qz"));
    }
}
