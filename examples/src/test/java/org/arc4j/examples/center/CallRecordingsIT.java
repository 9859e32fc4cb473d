package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.RealPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call-recording SPI over HTTP against the packaged centre (GA 1383 记录存储与播放): an operator's verification
 * call, recorded as G.711 µ-law WAV by sox (Debian's sox, standing in for the PBX's recorder), is posted for a case;
 * it is listed with the case's work records, read back byte for byte with {@code Cache-Control: no-store}, decoded
 * by ffprobe, and its playing audited; other types and bad fields are refused.
 */
class CallRecordingsIT {
    @TempDir
    Path dir;
    private CenterProcess centre;

    @AfterEach
    void stop() throws Exception {
        if (centre != null) {
            centre.close();
        }
    }

    @Test
    void aVerificationCallIsKeptWithItsCaseAndPlayedBack() throws Exception {
        RealPeers.require(new File("/usr/bin/sox").canExecute(), "sox");
        RealPeers.require(new File("/usr/bin/ffprobe").canExecute(), "ffprobe (Debian package ffmpeg)");
        Path config = Files.writeString(dir.resolve("center.yaml"), String.join("\n",
                "customers:",
                "  - id: C1",
                "    name: 仓库客户",
                "    sites:",
                "      - id: S1",
                "        name: 一号仓库",
                "        accounts: [ { account: \"1234\" } ]",
                ""));
        centre = CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD",
                RemoteControlIT.ADMIN_PASSWORD), "--config", config.toString());
        CenterClient admin = new CenterClient(centre.base());
        assertThat(admin.login("admin", RemoteControlIT.ADMIN_PASSWORD).status()).isEqualTo(200);
        CenterClient op = RemoteControlIT.user(admin, "zhao", "operator", null);
        assertThat(admin.call("POST", "/api/drills", CenterClient.JSON.createObjectNode().put("account", "1234")
                .put("category", "intrusion")).status()).isEqualTo(201);
        String caseId = op.await("/api/cases", b -> b.path("cases").size() == 1).path("cases").get(0).path("id")
                .asText();

        // 3 s of a 425 Hz tone as 8 kHz G.711 µ-law, the way a PBX records a call
        Path wav = dir.resolve("call.wav");
        Process sox = new ProcessBuilder("sox", "-n", "-r", "8000", "-c", "1", "-e", "u-law", wav.toString(),
                "synth", "3", "sine", "425").redirectErrorStream(true).start();
        assertThat(sox.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sox.exitValue()).as(new String(sox.getInputStream().readAllBytes())).isZero();
        byte[] audio = Files.readAllBytes(wav);

        Instant start = Instant.parse("2026-12-06T00:00:00Z");
        String q = "?case=" + caseId + "&purpose=verification&number=%2B86%20138%200000%200001&startedAt=" + start
                + "&endedAt=" + start.plusSeconds(3);
        HttpResponse<String> stored = post(op, q, "audio/wav", audio);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        JsonNode call = CenterClient.JSON.readTree(stored.body());
        assertThat(call.path("case").asText()).isEqualTo(caseId);
        assertThat(call.path("by").asText()).isEqualTo("zhao");
        assertThat(call.path("bytes").asInt()).isEqualTo(audio.length);
        assertThat(call.has("file")).isFalse();

        // refused: another type, a body that is not what it says, a bad purpose, a bad time
        assertThat(post(op, q, "video/webm", audio).statusCode()).isEqualTo(415);
        assertThat(post(op, q, "audio/wav", "not audio".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(415);
        assertThat(post(op, q.replace("verification", "gossip"), "audio/wav", audio).statusCode()).isEqualTo(400);
        HttpResponse<String> badTime = post(op, q.replace("endedAt=", "endedAt=soon"), "audio/wav", audio);
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(badTime.body()).contains("endedAt");

        JsonNode records = admin.get("/api/work/cases/" + caseId).body().path("records");
        JsonNode listed = null;
        for (JsonNode r : records) {
            if (r.path("kind").asText().equals("call")) {
                listed = r;
            }
        }
        assertThat(listed).as(records.toString()).isNotNull();
        assertThat(listed.path("purpose").asText()).isEqualTo("verification");
        assertThat(listed.path("number").asText()).isEqualTo("+86 138 0000 0001");

        HttpResponse<byte[]> played = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                centre.base() + "/api/work/calls/" + call.path("call").asText())).header("Authorization", "Bearer "
                + admin.token()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(played.statusCode()).isEqualTo(200);
        assertThat(played.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(played.headers().firstValue("Content-Type").orElse("")).startsWith("audio/wav");
        assertThat(played.body()).isEqualTo(audio);
        Path back = Files.write(dir.resolve("back.wav"), played.body());
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_name,sample_rate,channels", "-of", "default=nw=1", back.toString())
                .redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("codec_name=pcm_mulaw").contains("sample_rate=8000").contains("channels=1");
        // an operator may not play it (READ_LOGS); the admin's playing is audited
        assertThat(op.get("/api/work/calls/" + call.path("call").asText()).status()).isEqualTo(403);
        JsonNode audit = admin.get("/api/audit?action=VIDEO_VIEWED&actor=admin").body().path("entries");
        assertThat(audit.toString()).contains("call:" + call.path("call").asText());
    }

    private HttpResponse<String> post(CenterClient c, String query, String type, byte[] body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(centre.base() + "/api/work/calls"
                        + query)).header("Authorization", "Bearer " + c.token()).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
