package org.arc4j.core.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every log line of a module's test run, as captured by {@link CapturingServiceProvider} (the only SLF4J provider
 * on the test path). Shared with other modules' tests through the sdk-core test jar: a module that depends on it
 * and registers nothing else gets the same capture. Lines are kept in the order logged, each as
 * {@code LEVEL logger - message}, followed by the class, message and stack trace of a throwable and of its causes.
 * Thread-safe.
 */
public final class LogCapture {
    private static final List<String> LINES = Collections.synchronizedList(new ArrayList<>());

    private LogCapture() {
    }

    static void add(String line) {
        LINES.add(line);
    }

    /** @return true if the capturing provider is the one SLF4J bound to */
    public static boolean active() {
        return org.slf4j.LoggerFactory.getILoggerFactory() instanceof CapturingServiceProvider.Factory;
    }

    /** @return a snapshot of every line captured so far */
    public static List<String> lines() {
        synchronized (LINES) {
            return List.copyOf(LINES);
        }
    }

    /**
     * The captured lines that match.
     *
     * @param test the condition
     * @return the matching lines, in order
     */
    public static List<String> lines(Predicate<String> test) {
        return lines().stream().filter(test).toList();
    }

    /**
     * The captured lines that contain a text.
     *
     * @param text the text
     * @return the lines
     */
    public static List<String> containing(String text) {
        return lines(l -> l.contains(text));
    }
}
