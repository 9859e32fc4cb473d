package org.arc4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmallMapTest {

    @Test
    void keepsTheOrderEntriesWerePutInAndAnswersLikeAMap() {
        SmallMap m = new SmallMap.Builder(2).put("z", "1").put("a", "2").put("m", "3").put("a", "4").build();
        assertThat(m.keySet()).containsExactly("z", "a", "m");
        assertThat(m.values()).containsExactly("1", "4", "3");
        List<String> seen = new ArrayList<>();
        m.forEach((k, v) -> seen.add(k + "=" + v));
        assertThat(seen).containsExactly("z=1", "a=4", "m=3");
        assertThat(m.get("a")).isEqualTo("4");
        assertThat(m.get("b")).isNull();
        assertThat(m.get(null)).isNull();
        assertThat(m.getOrDefault("b", "x")).isEqualTo("x");
        assertThat(m.containsKey("m")).isTrue();
        assertThat(m).hasSize(3).isEqualTo(Map.of("a", "4", "m", "3", "z", "1"));
        assertThat(m.hashCode()).isEqualTo(new HashMap<>(m).hashCode());
        assertThat(m.toString()).isEqualTo("{z=1, a=4, m=3}");
    }

    @Test
    void copiesOtherMapsInTheirOrderAndItselfNot() {
        Map<String, String> source = new LinkedHashMap<>();
        for (int i = 20; i > 0; i--) {
            source.put("k" + i, "v" + i);
        }
        SmallMap m = SmallMap.copyOf(source);
        assertThat(new ArrayList<>(m.entrySet())).isEqualTo(new ArrayList<>(source.entrySet()));
        assertThat(SmallMap.copyOf(m)).isSameAs(m);
        assertThat(SmallMap.copyOf(Map.of())).isEmpty();
        source.clear();
        assertThat(m).hasSize(20);
    }

    @Test
    void isImmutableAndRefusesNulls() {
        SmallMap m = SmallMap.copyOf(Map.of("a", "1"));
        assertThatThrownBy(() -> m.put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.entrySet().iterator().next().setValue("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new SmallMap.Builder(1).put("a", null)).isInstanceOf(NullPointerException.class);
        Map<String, String> withNull = new HashMap<>();
        withNull.put(null, "x");
        assertThatThrownBy(() -> SmallMap.copyOf(withNull)).isInstanceOf(NullPointerException.class);
    }
}
