package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.arc4j.core.testsupport.RealPeers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PasswordHasherTest {
    /** Small enough to keep the suite fast; production uses {@link Argon2Parameters#DEFAULT}. */
    static final Argon2Parameters FAST = new Argon2Parameters(64, 1, 1, 16, 32);

    private final PasswordHasher hasher = new PasswordHasher(FAST, new SecureRandom());

    @Test
    void matchesTheReferenceImplementation() {
        // produced by the reference argon2 CLI (Debian package argon2):
        // echo -n Correct-Horse-9 | argon2 'saltsaltsalt16!!' -id -t 2 -m 6 -p 1 -l 32 -e
        PasswordHash reference = PasswordHash.parse(
                "$argon2id$v=19$m=64,t=2,p=1$c2FsdHNhbHRzYWx0MTYhIQ$ILjRpr6BPl2DWHQagRKZelGj6IZwk+G+dQVHJiEyMq4");
        assertThat(hasher.verify(Secret.ofUtf8("Correct-Horse-9"), reference)).isTrue();
        assertThat(hasher.verify(Secret.ofUtf8("Correct-Horse-8"), reference)).isFalse();
        assertThat(reference.parameters()).isEqualTo(new Argon2Parameters(64, 2, 1, 16, 32));
    }

    /** The kept corpus (src/test/resources/fuzz/PasswordHasherTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(PasswordHasherTest.class, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void agreesWithTheArgon2CommandOverManyLengths(FuzzSeeds.Seed seed) throws IOException, InterruptedException {
        seed.check(() -> {
            Path cli = Path.of("/usr/bin/argon2");
            RealPeers.require(Files.isExecutable(cli), "argon2 (Debian package argon2)");
            Random r = new Random(seed.value());
            for (int len = 1; len <= 40; len += 7) {
                StringBuilder pw = new StringBuilder();
                for (int i = 0; i < len; i++) {
                    pw.append((char) ('!' + r.nextInt(94)));
                }
                String salt = "salt-" + len + "-abcdefgh";
                Process p = new ProcessBuilder(cli.toString(), salt, "-id", "-t", "1", "-m", "6", "-p", "1", "-l", "32",
                        "-e").redirectErrorStream(true).start();
                try (OutputStream in = p.getOutputStream()) {
                    in.write(pw.toString().getBytes(StandardCharsets.UTF_8));
                }
                String encoded = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                assertThat(p.waitFor()).isZero();
                PasswordHash oracle = PasswordHash.parse(encoded);
                assertThat(hasher.verify(Secret.ofUtf8(pw), oracle)).as("length %d", len).isTrue();
                assertThat(oracle.encoded()).isEqualTo(encoded);
            }
        });
    }

    @Test
    void hashesVerifyAndDifferPerUserEvenForTheSamePassword() {
        Secret pw = Secret.ofUtf8("Vq7#mLp2xR");
        PasswordHash alice = hasher.hash(pw);
        PasswordHash bob = hasher.hash(pw);
        assertThat(hasher.verify(pw, alice)).isTrue();
        assertThat(hasher.verify(pw, bob)).isTrue();
        assertThat(alice.salt()).isNotEqualTo(bob.salt());
        assertThat(alice.tag()).isNotEqualTo(bob.tag());
        assertThat(alice.encoded()).isNotEqualTo(bob.encoded());
        assertThat(hasher.verify(Secret.ofUtf8("Vq7#mLp2xr"), alice)).isFalse();
    }

    @Test
    void parametersTravelWithTheHashAndCanBeRaised() {
        PasswordHash weak = hasher.hash(Secret.ofUtf8("Vq7#mLp2xR"));
        assertThat(weak.encoded()).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        PasswordHash parsed = PasswordHash.parse(weak.encoded());
        assertThat(parsed).isEqualTo(weak);
        PasswordHasher stronger = new PasswordHasher(new Argon2Parameters(128, 2, 1, 16, 32), new SecureRandom());
        assertThat(stronger.verify(Secret.ofUtf8("Vq7#mLp2xR"), parsed)).isTrue();
        assertThat(stronger.needsRehash(parsed)).isTrue();
        assertThat(hasher.needsRehash(parsed)).isFalse();
        assertThat(PasswordHasher.defaults().parameters()).isEqualTo(Argon2Parameters.DEFAULT);
        assertThat(Argon2Parameters.DEFAULT.memoryKiB()).isGreaterThanOrEqualTo(19456);
    }

    @Test
    void toStringShowsNeitherSaltNorTagAndParseRejectsOthers() {
        PasswordHash h = hasher.hash(Secret.ofUtf8("Vq7#mLp2xR"));
        assertThat(h.toString()).isEqualTo("PasswordHash[argon2id m=64,t=1,p=1]");
        assertThatThrownBy(() -> PasswordHash.parse("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("c2FsdHNhbHQ");
        assertThatThrownBy(() -> new Argon2Parameters(4, 1, 1, 16, 32)).isInstanceOf(IllegalArgumentException.class);
    }
}
