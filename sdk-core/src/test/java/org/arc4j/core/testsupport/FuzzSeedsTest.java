package org.arc4j.core.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The seed corpus helper: file format, kept seeds first, the replay and fresh-count properties, failure text. */
class FuzzSeedsTest {
    @Test
    void theCorpusKeepsItsOrderAndSkipsCommentsAndBlankLines() {
        assertThat(FuzzSeeds.kept(FuzzSeedsTest.class)).containsExactly(42L, 16L, -7L, 3L, 4L, 5L);
    }

    @Test
    void keptSeedsComeFirstThenTheFreshOnes() {
        List<FuzzSeeds.Seed> seeds = FuzzSeeds.of(FuzzSeedsTest.class, 3, new Properties());
        assertThat(seeds).extracting(FuzzSeeds.Seed::origin).containsExactly("kept", "kept", "kept", "kept", "kept",
                "kept", "fresh", "fresh", "fresh");
        assertThat(seeds.subList(0, 6)).extracting(FuzzSeeds.Seed::value).containsExactly(42L, 16L, -7L, 3L, 4L, 5L);
        assertThat(seeds.get(0)).hasToString("seed 42 (kept)");
    }

    @Test
    void aGivenSeedReplacesTheRunAndTheFreshCountCanBeChanged() {
        Properties only = new Properties();
        only.setProperty(FuzzSeeds.SEED_PROPERTY, "123");
        assertThat(FuzzSeeds.of(FuzzSeedsTest.class, 3, only)).extracting(FuzzSeeds.Seed::value)
                .containsExactly(123L);
        Properties none = new Properties();
        none.setProperty(FuzzSeeds.FRESH_PROPERTY, "0");
        assertThat(FuzzSeeds.of(FuzzSeedsTest.class, 3, none)).hasSize(6);
    }

    @Test
    void aMissingCorpusFailsAndSaysWhereItBelongs() {
        assertThatThrownBy(() -> FuzzSeeds.kept(FuzzSeeds.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("src/test/resources/fuzz/FuzzSeeds.seeds");
    }

    @Test
    void aFailureNamesTheSeedAndTheCorpusToKeepItIn() {
        FuzzSeeds.Seed seed = new FuzzSeeds.Seed(FuzzSeedsTest.class, 99, "fresh");
        IllegalStateException bug = new IllegalStateException("decoder threw");
        assertThatThrownBy(() -> seed.check(() -> {
            throw bug;
        })).isInstanceOf(AssertionError.class).hasCause(bug)
                .hasMessageContaining("fresh seed 99")
                .hasMessageContaining("-Dfuzz.seed=99")
                .hasMessageContaining("src/test/resources/fuzz/FuzzSeedsTest.seeds")
                .hasMessageContaining("decoder threw");
        int[] ran = {0};
        seed.check(() -> ran[0]++);
        assertThat(ran[0]).isEqualTo(1);
    }

    @Test
    void aFailedAssumptionStillSkipsInsteadOfFailing() {
        FuzzSeeds.Seed seed = new FuzzSeeds.Seed(FuzzSeedsTest.class, 1, "kept");
        TestAbortedException skip = new TestAbortedException("oracle tool not installed");
        assertThatThrownBy(() -> seed.check(() -> {
            throw skip;
        })).isSameAs(skip);
    }
}
