package org.arc4j.core.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests against real peers (sipp, multimon-ng, sox, socat, Chromium, ffmpeg, …) ask here whether the peer is
 * installed. Under {@code CI=true} (set by {@code .ci/run}) a missing peer fails the test, so a CI machine without
 * its packages cannot pass green; elsewhere (a developer's machine without the Debian packages) the test is
 * skipped with the same message.
 */
public final class RealPeers {
    private RealPeers() {
    }

    /** @return true when the environment says this is CI ({@code CI=true}) */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Requires a peer: fails under CI, skips elsewhere.
     *
     * @param present whether the peer is there
     * @param what    what is missing and which package brings it, e.g. {@code "sipp (Debian sip-tester)"}
     */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        String message = what + " is not installed (.ci/run installs it)";
        if (inCi()) {
            throw new AssertionError(message + "; CI=true, so a missing peer fails the test instead of skipping it");
        }
        Assumptions.abort(message);
    }

    /**
     * Whether a program is on the {@code PATH}.
     *
     * @param name the program
     * @return true if an executable of that name is found
     */
    public static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Requires programs on the {@code PATH}: fails under CI, skips elsewhere.
     *
     * @param debianPackage the package that brings them, for the message
     * @param programs      the programs
     */
    public static void requirePrograms(String debianPackage, String... programs) {
        for (String p : programs) {
            require(onPath(p), p + " (Debian package " + debianPackage + ")");
        }
    }
}
