package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS to a device with a self-signed certificate (made by the JDK's keytool): refused as untrusted with the JDK
 * trust store and with a wrong pin, accepted with the right pinned fingerprint.
 */
class OnvifHttpsTest {
    @TempDir
    Path dir;

    @Test
    void selfSignedCertificateNeedsItsPin() throws Exception {
        Path ks = dir.resolve("device.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "device", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=camera",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        String pin = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(store.getCertificate("device").getEncoded()));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        byte[] answer = Files.readAllBytes(Path.of(getClass().getClassLoader()
                .getResource("vectors/onvif/ex_onvif/get_system_date_and_time.xml").toURI()));
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "application/soap+xml");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        ManualScheduler scheduler = new ManualScheduler(Instant.parse("2024-07-09T19:49:06Z"));
        try (OnvifClient client = OnvifClient.builder(scheduler, new InMemoryCredentialStore()).build()) {
            URI at = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/onvif/device_service");
            OnvifDevice jdkTrust = client.device(OnvifDeviceConfig.of(at, "cam"));
            assertThatThrownBy(() -> OnvifClientTest.join(jdkTrust.getSystemDateAndTime()))
                    .isInstanceOfSatisfying(OnvifException.class,
                            e -> assertThat(e.kind()).isEqualTo(OnvifException.Kind.UNTRUSTED_CERTIFICATE));
            OnvifDevice wrongPin = client.device(OnvifDeviceConfig.of(at, "cam").withPinnedCertificate("00".repeat(32)));
            assertThatThrownBy(() -> OnvifClientTest.join(wrongPin.getSystemDateAndTime()))
                    .isInstanceOfSatisfying(OnvifException.class,
                            e -> assertThat(e.kind()).isEqualTo(OnvifException.Kind.UNTRUSTED_CERTIFICATE));
            OnvifDevice pinned = client.device(OnvifDeviceConfig.of(at, "cam").withPinnedCertificate(pin));
            SystemDateAndTime t = OnvifClientTest.join(pinned.getSystemDateAndTime());
            assertThat(t.utc()).isEqualTo(Instant.parse("2024-07-09T19:49:06Z"));
            assertThat(pinned.clockOffset()).isZero();
            assertThat(List.of(t.timeZone())).containsExactly("BRT3");
        } finally {
            server.stop(0);
        }
    }
}
