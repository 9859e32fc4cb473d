package org.arc4j.examples.center.admin;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * Applies the stored configuration changes at start in one pass, in the order they were made: account changes,
 * customers and sites, devices. Each record goes to every applier, which takes the subjects it owns and ignores
 * the others. One pass matters because the kinds touch each other (an account change can make a customer, a
 * customer deletion removes its accounts): replaying one kind after the other would leave a different state after
 * a restart than before it.
 */
public final class ConfigReplay {
    private ConfigReplay() {
    }

    /**
     * @param store    the centre's store
     * @param appliers each applies the records it owns, in store order
     * @return how many configuration records were read
     */
    public static long replay(RecordStore store, List<Consumer<StoredRecord>> appliers) {
        long[] n = new long[1];
        store.replay(1, Set.of(RecordType.CONFIG_CHANGE), r -> {
            n[0]++;
            for (Consumer<StoredRecord> a : appliers) {
                a.accept(r);
            }
        });
        return n[0];
    }
}
