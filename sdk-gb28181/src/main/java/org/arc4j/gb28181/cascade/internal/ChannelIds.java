package org.arc4j.gb28181.cascade.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.gb28181.cascade.ExportedItem;

/**
 * The 20-digit IDs the centre's items carry toward one upper platform (GB/T 28181-2016 Annex D), stable across
 * restarts: a configured ID wins; otherwise an ID is allocated once as the centre's 10-digit domain, the item's type
 * code, the centre's network digit and the next free 6-digit serial, and the whole mapping is written to the store as
 * a {@code CONFIG_CHANGE} record (subject {@code gb28181/cascade/<upper ID>/ids}, payload local key = ID) before any
 * answer uses it. The newest such record is the mapping (the store keeps it regardless of age).
 *
 * <p>Not thread-safe: used on the cascade's thread only.
 */
public final class ChannelIds {
    /** Payload version of the mapping record. */
    public static final int VERSION = 1;

    private final RecordStore store;
    private final Clock clock;
    private final String subject;
    private final String prefix;
    private final char network;
    private final Map<String, String> byKey = new HashMap<>();
    private final Map<String, String> byId = new HashMap<>();
    private int nextSerial = 1;

    /**
     * Loads the mapping from the store.
     *
     * @param store   the store
     * @param clock   the clock records are stamped with
     * @param upperId the upper platform
     * @param localId the centre's 20-digit ID (its domain and network digit are reused)
     */
    public ChannelIds(RecordStore store, Clock clock, String upperId, String localId) {
        this.store = store;
        this.clock = clock;
        this.subject = subject(upperId);
        this.prefix = localId.substring(0, 10);
        this.network = localId.charAt(13);
        store.newest(RecordType.CONFIG_CHANGE, subject).ifPresent(r -> {
            Props.read(r.payload()).forEach(this::put);
        });
    }

    /**
     * @param upperId the upper platform
     * @return the subject of its mapping records
     */
    public static String subject(String upperId) {
        return "gb28181/cascade/" + upperId + "/ids";
    }

    private void put(String key, String id) {
        byKey.put(key, id);
        byId.put(id, key);
        if (id.length() == 20 && id.startsWith(prefix)) {
            try {
                nextSerial = Math.max(nextSerial, Integer.parseInt(id.substring(14)) + 1);
            } catch (NumberFormatException ignored) {
                // a configured ID with letters is not ours to count from
            }
        }
    }

    /**
     * The IDs of these items, allocating (and journalling) the missing ones.
     *
     * @param items the items
     * @return local key to ID for every item, once the mapping is durable
     */
    public CompletionStage<Map<String, String>> ids(List<ExportedItem> items) {
        Map<String, String> configured = new HashMap<>();
        for (ExportedItem it : items) {
            if (it.configuredId() != null) {
                String before = configured.put(it.configuredId(), it.localKey());
                if (before != null && !before.equals(it.localKey())) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException("ID " + it.configuredId()
                            + " configured for both " + before + " and " + it.localKey()));
                }
            }
        }
        boolean changed = false;
        for (ExportedItem it : items) {
            String have = byKey.get(it.localKey());
            String want = it.configuredId();
            if (want != null && !want.equals(have)) {
                String other = byId.get(want);
                if (other != null && !other.equals(it.localKey())) {
                    // a configured ID taken by an allocated one: the configuration wins, the other is re-allocated
                    byKey.remove(other);
                }
                if (have != null) {
                    byId.remove(have);
                }
                put(it.localKey(), want);
                changed = true;
            } else if (have == null) {
                String id;
                do {
                    id = prefix + String.format("%03d", it.typeCode()) + network + String.format("%06d", nextSerial++);
                } while (byId.containsKey(id));
                put(it.localKey(), id);
                changed = true;
            }
        }
        for (ExportedItem it : items) {
            if (!byKey.containsKey(it.localKey())) {
                return ids(items); // an allocated ID gave way to a configured one above
            }
        }
        Map<String, String> result = new HashMap<>();
        for (ExportedItem it : items) {
            result.put(it.localKey(), byKey.get(it.localKey()));
        }
        if (!changed) {
            return CompletableFuture.completedFuture(result);
        }
        return store.append(new NewRecord(RecordType.CONFIG_CHANGE, VERSION, clock.instant(), subject,
                Props.write(byKey))).thenApply(p -> result);
    }

    /**
     * @param id an ID an upper platform used
     * @return the local key it names, or null
     */
    public String keyOf(String id) {
        return byId.get(id);
    }

    /**
     * @param key a local key
     * @return its ID, or null when none was allocated yet
     */
    public String idOf(String key) {
        return byKey.get(key);
    }
}
