package org.arc4j.protocols.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Debian tools the audio tests use as independent peers (sox, multimon-ng, espeak-ng). */
public final class Tools {
    private Tools() {
    }

    /**
     * Whether a program is on the path.
     *
     * @param name the program
     * @return true if found
     */
    public static boolean has(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a command to completion within 60 s and returns its standard output.
     *
     * @param command the command and arguments
     * @return standard output
     */
    public static String run(String... command) {
        try {
            Path out = Files.createTempFile("arc4j-tool", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            String s = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", command));
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes samples as raw little-endian 16-bit.
     *
     * @param file    the file
     * @param samples the samples
     */
    public static void writeRaw(Path file, short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            b.putShort(s);
        }
        try {
            Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The DTMF keys multimon-ng hears in 8 kHz audio, after sox resamples it to the 22,050 Hz multimon-ng needs.
     *
     * @param dir     a scratch directory
     * @param samples 8 kHz samples
     * @return the keys, in order
     */
    public static String multimonDtmf(Path dir, short[] samples) {
        Path raw8 = dir.resolve("in8k.raw");
        Path raw22 = dir.resolve("in22k.raw");
        writeRaw(raw8, samples);
        run("sox", "-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", raw8.toString(),
                "-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", raw22.toString());
        String out = run("multimon-ng", "-q", "-c", "-a", "DTMF", "-t", "raw", raw22.toString());
        StringBuilder keys = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.startsWith("DTMF: ")) {
                keys.append(line.charAt(6));
            }
        }
        return keys.toString();
    }

    /**
     * Splits a key string at a delimiter key.
     *
     * @param keys  keys
     * @param delim the delimiter
     * @return the parts between delimiters (empty parts kept)
     */
    public static List<String> split(String keys, char delim) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= keys.length(); i++) {
            if (i == keys.length() || keys.charAt(i) == delim) {
                parts.add(keys.substring(from, i));
                from = i + 1;
            }
        }
        return parts;
    }
}
