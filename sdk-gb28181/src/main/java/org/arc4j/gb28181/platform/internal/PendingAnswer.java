package org.arc4j.gb28181.platform.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.arc4j.core.time.Cancellable;

/**
 * The MANSCDP answer to one query (matched by device, CmdType and SN), collected over one or several MESSAGEs:
 * a multi-part answer is complete when {@code SumNum} items have arrived, counted uniquely by a key when one
 * is given (Catalog items by DeviceID: devices resend parts) or all of them otherwise (RecordInfo).
 *
 * @param <T> the item type
 */
public final class PendingAnswer<T> {
    private final CompletableFuture<List<T>> result = new CompletableFuture<>();
    private final Function<T, String> uniqueKey;
    private final Map<String, T> unique = new LinkedHashMap<>();
    private final List<T> all = new ArrayList<>();
    private Cancellable timeout;

    /**
     * @param uniqueKey how items are told apart, or null to count every item
     */
    public PendingAnswer(Function<T, String> uniqueKey) {
        this.uniqueKey = uniqueKey;
    }

    /** @param t the timer that fails the answer when it fires */
    public synchronized void timeout(Cancellable t) {
        this.timeout = t;
    }

    /** Cancels the timeout timer, if any (the answer is being given up, e.g. on close). */
    public synchronized void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
        }
    }

    /** @return the stage completed with all items */
    public CompletableFuture<List<T>> result() {
        return result;
    }

    /**
     * Adds one part.
     *
     * @param items  the part's items
     * @param sumNum the announced total, or -1 (then the first part is the whole answer)
     * @return true when the answer is now complete
     */
    public boolean add(List<T> items, int sumNum) {
        List<T> done = null;
        synchronized (this) {
            for (T i : items) {
                if (uniqueKey == null) {
                    all.add(i);
                } else {
                    unique.putIfAbsent(uniqueKey.apply(i), i);
                }
            }
            int have = uniqueKey == null ? all.size() : unique.size();
            if (sumNum < 0 || have >= sumNum) {
                done = uniqueKey == null ? List.copyOf(all) : List.copyOf(unique.values());
                if (timeout != null) {
                    timeout.cancel();
                }
            }
        }
        if (done != null) {
            result.complete(done);
            return true;
        }
        return false;
    }

    /** @return how many items have arrived */
    public synchronized int received() {
        return uniqueKey == null ? all.size() : unique.size();
    }
}
