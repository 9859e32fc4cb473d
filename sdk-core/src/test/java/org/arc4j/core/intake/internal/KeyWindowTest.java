package org.arc4j.core.intake.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link KeyWindow} against a plain model: every lookup finds exactly the live entries of its hash. */
class KeyWindowTest {
    private record Entry(long hash, long keyPosition, long firstPosition, long at) {
    }

    /** Every hash range with every seed: the kept corpus (fuzz/KeyWindowTest.seeds), then fresh ones. */
    static Stream<Arguments> seeds() {
        List<FuzzSeeds.Seed> seeds = FuzzSeeds.of(KeyWindowTest.class, 1);
        return LongStream.of(3, 50, 5000, Long.MAX_VALUE).boxed()
                .flatMap(range -> seeds.stream().map(seed -> Arguments.of(range, seed)));
    }

    /**
     * Random adds, expiries and lookups; a small hash range forces long probe runs, wrap-around at the end of the
     * table and backward shifts on removal; a large one the common case.
     */
    @ParameterizedTest(name = "hash range {0}, {1}")
    @MethodSource("seeds")
    void matchesAModelUnderRandomOperations(long hashRange, FuzzSeeds.Seed seed) {
        seed.check(() -> {
            SplittableRandom r = new SplittableRandom(seed.value());
            KeyWindow w = new KeyWindow();
            ArrayDeque<Entry> model = new ArrayDeque<>();
            long now = 1_000;
            long position = 1;
            for (int step = 0; step < 200_000; step++) {
                int op = r.nextInt(10);
                if (op < 6) {
                    now += r.nextInt(3);
                    long hash = hashRange == Long.MAX_VALUE ? r.nextLong()
                            : r.nextLong(hashRange) * 0x9E3779B97F4A7C15L;
                    Entry e = new Entry(hash, position + 1, position, now);
                    position += 2;
                    w.add(e.hash, e.keyPosition, e.firstPosition, e.at);
                    model.addLast(e);
                } else if (op < 8) {
                    long limit = now - r.nextInt(400);
                    int expired = 0;
                    while (!model.isEmpty() && model.peekFirst().at < limit) {
                        model.removeFirst();
                        expired++;
                    }
                    assertThat(w.expireBefore(limit)).isEqualTo(expired);
                } else {
                    long hash = model.isEmpty() || r.nextBoolean() ? r.nextLong() : new ArrayList<>(model)
                            .get(r.nextInt(model.size())).hash;
                    assertThat(pairs(w.candidates(hash))).isEqualTo(expected(model, hash));
                }
                assertThat(w.size()).isEqualTo(model.size());
            }
            for (Entry e : model) {
                assertThat(pairs(w.candidates(e.hash))).isEqualTo(expected(model, e.hash));
            }
        });
    }

    @Test
    void emptiesCompletelyAndShrinksBackAndStillWorks() {
        KeyWindow w = new KeyWindow();
        for (int i = 0; i < 100_000; i++) {
            w.add(KeyWindow.hash("k" + i), 2L * i + 2, 2L * i + 1, i);
        }
        assertThat(w.expireBefore(99_990)).isEqualTo(99_990);
        assertThat(w.size()).isEqualTo(10);
        assertThat(w.candidates(KeyWindow.hash("k5"))).isEmpty();
        assertThat(w.candidates(KeyWindow.hash("k99995"))).containsExactly(199_992L, 199_991L);
        assertThat(w.expireBefore(Long.MAX_VALUE)).isEqualTo(10);
        assertThat(w.size()).isZero();
        w.add(7, 8, 9, 10);
        assertThat(w.candidates(7)).containsExactly(8L, 9L);
    }

    @Test
    void theHashSpreadsTheKeysAnAdapterMakes() {
        Set<Long> hashes = new HashSet<>();
        for (int account = 0; account < 1000; account++) {
            for (int seq = 1; seq <= 200; seq++) {
                hashes.add(KeyWindow.hash("dc09\u001fR1\u001fL1\u001f" + account + "\u001f" + String.format("%04d", seq)));
            }
        }
        assertThat(hashes).hasSize(200_000);
    }

    private static Set<List<Long>> pairs(long[] candidates) {
        Set<List<Long>> s = new HashSet<>();
        for (int i = 0; i < candidates.length; i += 2) {
            s.add(List.of(candidates[i], candidates[i + 1]));
        }
        assertThat(s).hasSize(candidates.length / 2);
        return s;
    }

    private static Set<List<Long>> expected(ArrayDeque<Entry> model, long hash) {
        Set<List<Long>> s = new HashSet<>();
        for (Entry e : model) {
            if (e.hash == hash) {
                s.add(List.of(e.keyPosition, e.firstPosition));
            }
        }
        return s;
    }
}
