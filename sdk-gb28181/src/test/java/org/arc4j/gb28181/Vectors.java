package org.arc4j.gb28181;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads the GB/T 28181 sample files from {@code src/test/resources/vectors/gb28181} (see SOURCES.txt). */
public final class Vectors {
    private Vectors() {
    }

    /**
     * @param path the path below {@code vectors/gb28181/}
     * @return the file's bytes
     */
    public static byte[] bytes(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/gb28181/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no vector " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
