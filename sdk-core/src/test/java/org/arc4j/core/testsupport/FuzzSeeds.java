package org.arc4j.core.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.opentest4j.TestAbortedException;

/**
 * Seeds for fuzz and property tests: first a kept corpus, then fresh random ones, so that every run replays what
 * once found a bug and still explores. Shared with other modules' tests through the sdk-core test jar.
 *
 * <p>The corpus of a test class {@code FooFuzzTest} is the test resource {@code fuzz/FooFuzzTest.seeds} of its
 * module ({@code src/test/resources/fuzz/FooFuzzTest.seeds}): one seed a line, decimal or {@code 0x} hex (or an
 * inclusive range {@code 0..59} of decimal seeds), each optionally followed by a {@code #} comment saying why it is
 * kept (which bug it found); lines that are blank or start with {@code #} are comments. A missing corpus fails the
 * test: the file is the place a failing seed goes.
 *
 * <p>Use it as the source of a parameterized test, and run the body through {@link Seed#check} so that a failure
 * names the seed and where to keep it:
 * <pre>{@code
 * static List<FuzzSeeds.Seed> seeds() {
 *     return FuzzSeeds.of(FooFuzzTest.class, 2);
 * }
 *
 * @ParameterizedTest(name = "{0}")
 * @MethodSource("seeds")
 * void neverThrows(FuzzSeeds.Seed seed) {
 *     seed.check(() -> { SplittableRandom rnd = new SplittableRandom(seed.value()); ... });
 * }
 * }</pre>
 *
 * <p>System properties: {@code -Dfuzz.seed=N} runs that one seed only (to reproduce a failure);
 * {@code -Dfuzz.fresh=N} runs N fresh seeds instead of the test's default (more for a long fuzzing session, 0 for
 * the corpus only).
 */
public final class FuzzSeeds {
    /** Runs this one seed only. */
    public static final String SEED_PROPERTY = "fuzz.seed";
    /** How many fresh seeds to add to the corpus. */
    public static final String FRESH_PROPERTY = "fuzz.fresh";

    private FuzzSeeds() {
    }

    /** A test body run with one seed; it may throw what the test method may. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs it.
         *
         * @throws Exception whatever the test body throws
         */
        void run() throws Exception;
    }

    /**
     * One seed of a run.
     *
     * @param test   the test class it is for
     * @param value  the seed
     * @param origin where it comes from: {@code kept} (the corpus), {@code fresh} or {@code -Dfuzz.seed}
     */
    public record Seed(Class<?> test, long value, String origin) {
        /**
         * Runs a test body with this seed; any failure comes back as an {@link AssertionError} that names the seed
         * and the corpus file to add it to. A failed assumption still aborts (skips) the test.
         *
         * @param body the body, using {@link #value()}
         */
        public void check(Body body) {
            try {
                body.run();
            } catch (TestAbortedException skipped) {
                // an assumption (a missing oracle tool outside CI) skips the test as it would without the seed
                throw skipped;
            } catch (Exception | AssertionError e) {
                throw new AssertionError(test.getSimpleName() + " fails with " + origin + " seed " + value
                        + " (rerun with -D" + SEED_PROPERTY + "=" + value + "; keep it by adding the line \"" + value
                        + " # what it found\" to src/test/resources/" + resource(test) + "): " + e, e);
            }
        }

        @Override
        public String toString() {
            return "seed " + value + " (" + origin + ")";
        }
    }

    /**
     * The seeds of a run: the kept corpus of {@code test}, then {@code fresh} new random seeds; or only the seed of
     * {@code -Dfuzz.seed}.
     *
     * @param test  the test class, whose simple name names the corpus file
     * @param fresh how many fresh seeds by default ({@code -Dfuzz.fresh} overrides it)
     * @return the seeds, kept ones first
     * @throws IllegalStateException if the corpus file is missing, empty or malformed
     */
    public static List<Seed> of(Class<?> test, int fresh) {
        return of(test, fresh, System.getProperties());
    }

    /**
     * {@link #of(Class, int)} with the properties given rather than the system's.
     *
     * @param test       the test class
     * @param fresh      how many fresh seeds by default
     * @param properties where {@code fuzz.seed} and {@code fuzz.fresh} are looked up
     * @return the seeds, kept ones first
     */
    public static List<Seed> of(Class<?> test, int fresh, Properties properties) {
        String only = properties.getProperty(SEED_PROPERTY);
        if (only != null && !only.isBlank()) {
            return List.of(new Seed(test, parse(only.trim(), "-D" + SEED_PROPERTY), "-D" + SEED_PROPERTY));
        }
        List<Seed> seeds = new ArrayList<>();
        for (long s : kept(test)) {
            seeds.add(new Seed(test, s, "kept"));
        }
        String override = properties.getProperty(FRESH_PROPERTY);
        int n = override == null || override.isBlank() ? fresh : Integer.parseInt(override.trim());
        SplittableRandom random = new SplittableRandom();
        for (int i = 0; i < n; i++) {
            seeds.add(new Seed(test, random.nextLong(), "fresh"));
        }
        return seeds;
    }

    /**
     * The kept corpus of a test class.
     *
     * @param test the test class
     * @return its seeds, in file order
     * @throws IllegalStateException if the file is missing, empty or has a line that is not a seed
     */
    public static List<Long> kept(Class<?> test) {
        String name = resource(test);
        InputStream in = test.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("no seed corpus " + name + " on the test class path: create "
                    + "src/test/resources/" + name + " with one seed a line");
        }
        List<Long> seeds = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                int hash = line.indexOf('#');
                String s = (hash < 0 ? line : line.substring(0, hash)).trim();
                int range = s.indexOf("..");
                if (range > 0) {
                    long from = parse(s.substring(0, range).trim(), name + ":" + lineNo);
                    long to = parse(s.substring(range + 2).trim(), name + ":" + lineNo);
                    if (to < from || to - from > 100_000) {
                        throw new IllegalStateException(name + ":" + lineNo + ": not a range of seeds: " + s);
                    }
                    for (long v = from; v <= to; v++) {
                        seeds.add(v);
                    }
                } else if (!s.isEmpty()) {
                    seeds.add(parse(s, name + ":" + lineNo));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
        if (seeds.isEmpty()) {
            throw new IllegalStateException("seed corpus " + name + " holds no seed");
        }
        return seeds;
    }

    private static String resource(Class<?> test) {
        return "fuzz/" + test.getSimpleName() + ".seeds";
    }

    private static long parse(String s, String where) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(where + ": not a seed: " + s, e);
        }
    }
}
