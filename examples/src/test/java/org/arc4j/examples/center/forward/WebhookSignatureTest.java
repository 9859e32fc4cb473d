package org.arc4j.examples.center.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.RealPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook signature checked against an independent HMAC-SHA256, OpenSSL's, over many body lengths. */
class WebhookSignatureTest {
    @TempDir
    Path dir;

    @Test
    void matchesOpensslOverTimestampDotBody() throws Exception {
        RealPeers.requirePrograms("openssl", "openssl");
        Random random = new Random(22);
        String key = "hook-secret-7f3a9c";
        for (int len : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, 4097}) {
            byte[] body = new byte[len];
            random.nextBytes(body);
            long ts = 1_796_000_000L + len;
            Path f = dir.resolve("msg" + len);
            byte[] prefix = (ts + ".").getBytes(StandardCharsets.US_ASCII);
            byte[] msg = new byte[prefix.length + len];
            System.arraycopy(prefix, 0, msg, 0, prefix.length);
            System.arraycopy(body, 0, msg, prefix.length, len);
            Files.write(f, msg);
            Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", key, "-r", f.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String hex = out.trim().split("\\s+")[0];
            assertThat(WebhookTarget.signature(key.getBytes(StandardCharsets.UTF_8), ts, body))
                    .as("length %d: %s", len, out).isEqualTo("sha256=" + hex);
        }
    }
}
