package org.arc4j.core.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable map of a few strings to strings that keeps the order its entries were put in: the details of a
 * case transition (at most a dozen entries, read by key rarely and written out in order often). Keys and values
 * sit side by side in one array and lookups scan it, so a map costs two objects and no hashing, where a
 * {@code LinkedHashMap} copied by {@code Map.copyOf} cost a node per entry, a table and a probe table.
 * Null keys and values are refused, as by {@link Map#copyOf}. Thread-safe (immutable). Internal to sdk-core.
 */
public final class SmallMap extends AbstractMap<String, String> {
    private static final SmallMap EMPTY = new SmallMap(new String[0], 0);

    /** key, value, key, value, ... */
    private final String[] kv;
    private final int size;

    private SmallMap(String[] kv, int size) {
        this.kv = kv;
        this.size = size;
    }

    /**
     * The map itself when it is a {@code SmallMap}, else an immutable copy in the source's iteration order.
     *
     * @param source the map
     * @return an immutable, ordered map
     * @throws NullPointerException if a key or a value is null
     */
    public static SmallMap copyOf(Map<String, String> source) {
        if (source instanceof SmallMap s) {
            return s;
        }
        if (source.isEmpty()) {
            return EMPTY;
        }
        Builder b = new Builder(source.size());
        source.forEach(b::put);
        return b.build();
    }

    /** Collects entries in order; a key put again keeps its place and takes the new value. Not thread-safe. */
    public static final class Builder {
        private String[] kv;
        private int size;

        /** @param expected how many entries are expected (it grows beyond) */
        public Builder(int expected) {
            kv = new String[Math.max(2, expected * 2)];
        }

        /**
         * Puts an entry.
         *
         * @param key   the key
         * @param value the value
         * @return this
         * @throws NullPointerException if either is null
         */
        public Builder put(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            for (int i = 0; i < size * 2; i += 2) {
                if (kv[i].equals(key)) {
                    kv[i + 1] = value;
                    return this;
                }
            }
            if (size * 2 == kv.length) {
                kv = Arrays.copyOf(kv, kv.length * 2);
            }
            kv[size * 2] = key;
            kv[size * 2 + 1] = value;
            size++;
            return this;
        }

        /** @return the map; the builder must not be used afterwards */
        public SmallMap build() {
            if (size == 0) {
                return EMPTY;
            }
            String[] a = kv.length == size * 2 ? kv : Arrays.copyOf(kv, size * 2);
            kv = null;
            return new SmallMap(a, size);
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    private int indexOf(Object key) {
        if (key != null) {
            for (int i = 0; i < size * 2; i += 2) {
                if (kv[i].equals(key)) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public String get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : kv[i + 1];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public String getOrDefault(Object key, String defaultValue) {
        int i = indexOf(key);
        return i < 0 ? defaultValue : kv[i + 1];
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < size * 2; i += 2) {
            action.accept(kv[i], kv[i + 1]);
        }
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < size * 2;
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (i >= size * 2) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, String> entry = Map.entry(kv[i], kv[i + 1]);
                        i += 2;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
