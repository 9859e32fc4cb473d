package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interoperability with an independent DC-09 panel written in Python (framing, CRC and AES through openssl, no
 * arc4j code): over TCP and UDP, plain and AES-128/256, the receiver accepts its reports and the panel accepts
 * the receiver's replies.
 */
class Dc09PythonPanelIT {
    @ParameterizedTest(name = "{0} key={1}")
    @CsvSource({"tcp,", "udp,", "tcp,2B7E151628AED2A6ABF7158809CF4F3C",
        "udp,603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4"})
    void pythonPanelGetsItsAck(String transport, String key) throws Exception {
        try (ReceiverFixture fx = new ReceiverFixture()) {
            if (key != null) {
                fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "4321"), Credential.of(Secret.ofHex(key)));
            }
            Path script = Files.createTempFile("python_panel", ".py");
            try (InputStream in = getClass().getResourceAsStream("/dc09/python_panel.py")) {
                Files.write(script, in.readAllBytes());
            }
            List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), transport, "127.0.0.1",
                    String.valueOf(transport.equals("tcp") ? fx.receiver.tcpPort() : fx.receiver.udpPort()),
                    "4321", "0077", Dc09Timestamp.INSTANCE.format(ReceiverFixture.NOW).substring(1)));
            if (key != null) {
                cmd.add(key);
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Files.deleteIfExists(script);
            assertThat(out).isEqualTo("OK ACK 0077");
            assertThat(fx.intake.events()).hasSize(1);
            assertThat(fx.intake.events().get(0).code()).isEqualTo("BA");
            assertThat(fx.intake.events().get(0).account()).isEqualTo("4321");
        }
    }
}
