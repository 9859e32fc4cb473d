package org.arc4j.core.store.postgres.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread takes the appends queued meanwhile and writes them in one transaction, so one COMMIT
 * (one WAL flush, and with a synchronous standby one round trip to it) makes many appends durable. Each append's
 * stage completes only after that COMMIT returned.
 *
 * <p>In the transaction it first locks the counter row, which serializes appending transactions of every node:
 * positions are handed out in commit order and a reader that polls for positions above the last it saw never
 * misses one. An append whose {@link RecordType#IDEMPOTENCY_KEY} record names a key already stored (by this node
 * or another) writes nothing and fails with {@link StoreException.Duplicate} naming the original records.
 *
 * <p>An append made for a leader epoch ({@link #submit(List, long)}) is written only if {@code arc4j_leader} still
 * names that epoch when its transaction reads the row (FOR SHARE, so a takeover's update waits for it); otherwise it
 * writes nothing and fails with {@link StoreException.Fenced}.
 *
 * <p>If the COMMIT itself fails its outcome is unknown; the appends fail, and a retransmission then finds the key
 * if the commit did land.
 */
public final class GroupWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupWriter.class);

    private final DataSource dataSource;
    private final BlockingQueue<Pending> queue;
    private final int capacity;
    private final int maxRecords;
    private final LongConsumer committed;
    private final Thread thread;
    private volatile boolean closed;
    private Connection connection;

    private record Pending(List<NewRecord> records, String key, long epoch, CompletableFuture<List<Long>> done) {
    }

    /**
     * Starts the writer thread.
     *
     * @param dataSource where to write
     * @param capacity   the most appends queued
     * @param maxRecords the most records in one transaction (an append is never split)
     * @param committed  told the next position after every commit, on the writer thread
     */
    public GroupWriter(DataSource dataSource, int capacity, int maxRecords, LongConsumer committed) {
        this.dataSource = dataSource;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxRecords = maxRecords;
        this.committed = committed;
        this.thread = new Thread(this::run, "arc4j-pg-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues records to append atomically; never blocks.
     *
     * @param records the records
     * @return their positions once committed
     */
    public CompletableFuture<List<Long>> submit(List<NewRecord> records) {
        return submit(records, 0);
    }

    /**
     * Queues records to append atomically if the database's leader epoch is still the one given; never blocks.
     *
     * @param records the records
     * @param epoch   the leader epoch they are appended in, or 0 for no fence
     * @return their positions once committed
     */
    public CompletableFuture<List<Long>> submit(List<NewRecord> records, long epoch) {
        CompletableFuture<List<Long>> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new StoreException.Closed());
            return f;
        }
        String key = null;
        for (NewRecord r : records) {
            if (r.type() == RecordType.IDEMPOTENCY_KEY) {
                key = Fields.key(r.payload());
            }
        }
        if (!queue.offer(new Pending(List.copyOf(records), key, epoch, f))) {
            f.completeExceptionally(new StoreException.Full(capacity));
        }
        return f;
    }

    /** @return the appends queued and not yet committed */
    public int backlog() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            Pending first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first == null) {
                if (closed && queue.isEmpty()) {
                    break;
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            int n = first.records.size();
            Pending next;
            while (n < maxRecords && (next = queue.peek()) != null && n + next.records.size() <= maxRecords) {
                batch.add(queue.poll());
                n += next.records.size();
            }
            write(batch);
        }
        closeConnection();
    }

    private void write(List<Pending> batch) {
        List<List<Long>> positions = new ArrayList<>(batch.size());
        Map<Integer, long[]> duplicates = new HashMap<>();
        Map<Integer, long[]> fenced = new HashMap<>();
        long end;
        try {
            Connection c = connection();
            end = transaction(c, batch, positions, duplicates, fenced);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("append of {} records failed: {}", batch.stream().mapToInt(p -> p.records.size()).sum(),
                    e.toString());
            closeConnection();
            for (Pending p : batch) {
                p.done.completeExceptionally(new StoreException.Failed("PostgreSQL append failed", e));
            }
            return;
        }
        committed.accept(end);
        for (int i = 0; i < batch.size(); i++) {
            long[] dup = duplicates.get(i);
            long[] fence = fenced.get(i);
            if (fence != null) {
                batch.get(i).done.completeExceptionally(new StoreException.Fenced(fence[0], fence[1]));
            } else if (dup != null) {
                batch.get(i).done.completeExceptionally(new StoreException.Duplicate(dup[0], dup[1]));
            } else {
                batch.get(i).done.complete(positions.get(i));
            }
        }
    }

    private long transaction(Connection c, List<Pending> batch, List<List<Long>> positions,
                             Map<Integer, long[]> duplicates, Map<Integer, long[]> fenced) throws SQLException {
        try {
            long next;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT next_position FROM arc4j_counter WHERE id = 1 FOR UPDATE");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                next = rs.getLong(1);
            }
            fence(c, batch, fenced);
            Set<String> won = claimKeys(c, batch, fenced.keySet());
            Map<String, Integer> claimedBy = new HashMap<>();
            Set<String> lost = new LinkedHashSet<>();
            try (PreparedStatement rec = c.prepareStatement("INSERT INTO arc4j_record (position, type, version,"
                    + " at_second, at_nano, subject, payload, account, category, event_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement key = c.prepareStatement(
                         "UPDATE arc4j_idempotency SET key_position = ?, first_position = ? WHERE key = ?");
                 PreparedStatement kase = c.prepareStatement("INSERT INTO arc4j_case AS c (case_id, state, police,"
                         + " last_position, last_second, last_nano) VALUES (?, ?, ?, ?, ?, ?)"
                         + " ON CONFLICT (case_id) DO UPDATE SET state = COALESCE(EXCLUDED.state, c.state),"
                         + " police = c.police OR EXCLUDED.police, last_position = EXCLUDED.last_position,"
                         + " last_second = EXCLUDED.last_second, last_nano = EXCLUDED.last_nano");
                 PreparedStatement caseEvent = c.prepareStatement("INSERT INTO arc4j_case_event (case_id, event_id,"
                         + " ord) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                boolean cases = false;
                for (int i = 0; i < batch.size(); i++) {
                    Pending p = batch.get(i);
                    if (fenced.containsKey(i)) {
                        positions.add(null);
                        continue;
                    }
                    if (p.key != null && (!won.contains(p.key) || claimedBy.containsKey(p.key))) {
                        positions.add(null);
                        Integer earlier = claimedBy.get(p.key);
                        if (earlier != null) {
                            List<Long> e = positions.get(earlier);
                            duplicates.put(i, new long[] {e.get(e.size() - 1), e.get(0)});
                        } else {
                            lost.add(p.key);
                        }
                        continue;
                    }
                    List<Long> ps = new ArrayList<>(p.records.size());
                    for (NewRecord r : p.records) {
                        long pos = next++;
                        ps.add(pos);
                        addRecord(rec, r, pos);
                        if (r.type() == RecordType.CASE_TRANSITION) {
                            cases = true;
                            addTransition(kase, caseEvent, r, pos);
                        }
                    }
                    positions.add(ps);
                    if (p.key != null) {
                        claimedBy.put(p.key, i);
                        key.setLong(1, ps.get(ps.size() - 1));
                        key.setLong(2, ps.get(0));
                        key.setString(3, p.key);
                        key.addBatch();
                    }
                }
                rec.executeBatch();
                if (!claimedBy.isEmpty()) {
                    key.executeBatch();
                }
                if (cases) {
                    kase.executeBatch();
                    caseEvent.executeBatch();
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE arc4j_counter SET next_position = ? WHERE id = 1")) {
                s.setLong(1, next);
                s.executeUpdate();
            }
            if (!lost.isEmpty()) {
                Map<String, long[]> originals = originals(c, lost);
                for (int i = 0; i < batch.size(); i++) {
                    String k = batch.get(i).key;
                    if (positions.get(i) == null && !duplicates.containsKey(i) && !fenced.containsKey(i)) {
                        duplicates.put(i, originals.getOrDefault(k, new long[] {0, 0}));
                    }
                }
            }
            c.commit();
            return next;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is closed after a failure anyway
            }
            throw e;
        }
    }

    /** Finds the appends of the batch made for an epoch the database no longer names: index to {epoch, current}. */
    private static void fence(Connection c, List<Pending> batch, Map<Integer, long[]> fenced) throws SQLException {
        if (batch.stream().allMatch(p -> p.epoch == 0)) {
            return;
        }
        long current = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT epoch FROM arc4j_leader WHERE id = 1 FOR SHARE");
             ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
                current = rs.getLong(1);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            long e = batch.get(i).epoch;
            if (e != 0 && e != current) {
                fenced.put(i, new long[] {e, current});
            }
        }
    }

    /** Inserts the batch's keys, not those of fenced appends; returns those inserted now (others were stored before). */
    private static Set<String> claimKeys(Connection c, List<Pending> batch, Set<Integer> fenced) throws SQLException {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            if (p.key != null && !fenced.contains(i)) {
                keys.add(p.key);
            }
        }
        Set<String> won = new java.util.HashSet<>();
        if (keys.isEmpty()) {
            return won;
        }
        Array arr = c.createArrayOf("text", keys.toArray());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO arc4j_idempotency (key) SELECT unnest(?)"
                + " ON CONFLICT DO NOTHING RETURNING key")) {
            s.setArray(1, arr);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    won.add(rs.getString(1));
                }
            }
        } finally {
            arr.free();
        }
        return won;
    }

    private static Map<String, long[]> originals(Connection c, Set<String> keys) throws SQLException {
        Map<String, long[]> out = new HashMap<>();
        Array arr = c.createArrayOf("text", keys.toArray());
        try (PreparedStatement s = c.prepareStatement("SELECT key, key_position, first_position"
                + " FROM arc4j_idempotency WHERE key = ANY(?)")) {
            s.setArray(1, arr);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        } finally {
            arr.free();
        }
        return out;
    }

    private static void addRecord(PreparedStatement s, NewRecord r, long pos) throws SQLException {
        s.setLong(1, pos);
        s.setShort(2, Fields.code(r.type()));
        s.setInt(3, r.version());
        s.setLong(4, r.at().getEpochSecond());
        s.setInt(5, r.at().getNano());
        s.setString(6, r.subject());
        s.setBytes(7, r.payload());
        Fields.EventFields e = r.type() == RecordType.EVENT ? Fields.event(r.payload())
                : new Fields.EventFields(null, null, null);
        s.setString(8, e.account());
        s.setString(9, e.category());
        s.setString(10, e.id());
        s.addBatch();
    }

    private static void addTransition(PreparedStatement kase, PreparedStatement caseEvent, NewRecord r, long pos)
            throws SQLException {
        Fields.TransitionFields t = Fields.transition(r.payload());
        kase.setString(1, r.subject());
        kase.setString(2, t.state());
        kase.setBoolean(3, t.police());
        kase.setLong(4, pos);
        kase.setLong(5, r.at().getEpochSecond());
        kase.setInt(6, r.at().getNano());
        kase.addBatch();
        int i = 0;
        for (String id : t.events()) {
            caseEvent.setString(1, r.subject());
            caseEvent.setString(2, id);
            caseEvent.setLong(3, pos * 1024 + i++);
            caseEvent.addBatch();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    /** Commits what is queued, then stops the thread. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done.completeExceptionally(new StoreException.Closed());
        }
    }
}
