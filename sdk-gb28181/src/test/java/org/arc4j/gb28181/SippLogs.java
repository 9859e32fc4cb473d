package org.arc4j.gb28181;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a sipp run left in its working directory, for the message of a failed assertion. */
public final class SippLogs {
    private SippLogs() {
    }

    /**
     * @param dir sipp's working directory
     * @return the tail (20,000 characters) of every {@code .log} and {@code .out} file in it, each under its name
     * @throws IOException if the directory cannot be read
     */
    public static String of(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out")).toList()) {
                sb.append("== ").append(f.getFileName()).append('\n')
                        .append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return sb.length() > 20_000 ? sb.substring(sb.length() - 20_000) : sb.toString();
    }
}
