package org.arc4j.protocols.dc09;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Independent oracles run as processes: python3 for CRC-16/ARC (a bitwise implementation written here, not the
 * table of {@link Crc16Arc}) and openssl for AES-CBC with the zero IV.
 */
final class Oracles {
    private Oracles() {
    }

    private static final String CRC_PY = String.join("\n",
            "import sys",
            "for line in sys.stdin:",
            "    data = bytes.fromhex(line.strip())",
            "    c = 0",
            "    for x in data:",
            "        c ^= x",
            "        for _ in range(8):",
            "            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1",
            "    print('%04X' % c)");

    /** CRC-16/ARC of each input, computed by python3. */
    static List<Integer> pythonCrc(List<byte[]> inputs) {
        StringBuilder in = new StringBuilder();
        for (byte[] b : inputs) {
            in.append(HexFormat.of().formatHex(b)).append('\n');
        }
        String out = run(in.toString().getBytes(StandardCharsets.US_ASCII), "python3", "-c", CRC_PY);
        List<Integer> r = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isBlank()) {
                r.add(Integer.parseInt(l.trim(), 16));
            }
        }
        return r;
    }

    /** AES-CBC, zero IV, no padding, by openssl. */
    static byte[] openssl(boolean encrypt, byte[] key, byte[] data) {
        String alg = "-aes-" + key.length * 8 + "-cbc";
        String out = runHex(data, "openssl", "enc", encrypt ? "-e" : "-d", alg, "-nopad", "-nosalt",
                "-iv", "00000000000000000000000000000000", "-K", HexFormat.of().formatHex(key));
        return HexFormat.of().parseHex(out);
    }

    private static String runHex(byte[] stdin, String... cmd) {
        byte[] raw = runBytes(stdin, cmd);
        return HexFormat.of().formatHex(raw);
    }

    private static String run(byte[] stdin, String... cmd) {
        return new String(runBytes(stdin, cmd), StandardCharsets.US_ASCII);
    }

    private static byte[] runBytes(byte[] stdin, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Thread writer = new Thread(() -> {
                try (OutputStream os = p.getOutputStream()) {
                    os.write(stdin);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream is = p.getInputStream()) {
                is.transferTo(out);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd[0] + " did not finish");
            }
            writer.join();
            if (p.exitValue() != 0) {
                throw new IllegalStateException(cmd[0] + " exited with " + p.exitValue());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
