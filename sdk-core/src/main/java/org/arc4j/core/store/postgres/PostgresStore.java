// Over 500 lines: every store contract (records, subscriptions, event and case queries, retention) on one schema;
// the SQL of the writes is in internal.GroupWriter, the rest reads like the journal's API it mirrors.
package org.arc4j.core.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.arc4j.core.store.CompactionReport;
import org.arc4j.core.store.EventQueries;
import org.arc4j.core.store.EventQuery;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.Retention;
import org.arc4j.core.store.RetentionPolicy;
import org.arc4j.core.store.StoreException;
import org.arc4j.core.store.StoredCaseState;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.store.postgres.internal.Fields;
import org.arc4j.core.store.postgres.internal.GroupWriter;
import org.arc4j.core.store.postgres.internal.Migrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store contracts on PostgreSQL, for a centre of several nodes sharing one database (with streaming
 * replication to a standby, the database is no single point of failure either). Plain {@code java.sql} on a
 * {@link DataSource} the application provides (the PostgreSQL JDBC driver and a pool are the application's
 * dependencies, not sdk-core's).
 *
 * <ul>
 *   <li>An append completes only after its transaction's COMMIT returned, and the store refuses to open unless the
 *       server's {@code synchronous_commit} is {@code on} or {@code remote_apply} (and {@code fsync} on), so a
 *       completed append is on disk (and, with a synchronous standby, there too). Appends queued meanwhile share
 *       one transaction and one COMMIT (group commit).</li>
 *   <li>Positions come from a counter row locked by every appending transaction: they are stable (a record keeps
 *       its position for its whole life, as case transitions that name their event's position need), increase in
 *       commit order across all nodes, and have no gaps except where retention removed records.</li>
 *   <li>An append whose {@link RecordType#IDEMPOTENCY_KEY} record names a key already stored, by any node, fails
 *       with {@link StoreException.Duplicate}: two nodes receiving the same retransmitted message make one
 *       event.</li>
 *   <li>Subscriptions poll the database (every {@link Builder#pollInterval}, and at once after this node's own
 *       commits, or when {@link #wake} says another node committed), so they also see the records other nodes
 *       append.</li>
 *   <li>A store {@link #fenced} by a leader epoch appends only while the database's {@code arc4j_leader} row names
 *       that epoch: once another node has taken the lead, this node's appends fail with
 *       {@link StoreException.Fenced} (and so are not acknowledged), however late it notices.</li>
 *   <li>The schema is migrated at open by versioned SQL files shipped in sdk-core ({@code V1.sql}, …), each
 *       recorded with its SHA-256; a changed file makes the open fail.</li>
 * </ul>
 *
 * <p>Thread-safe. {@code append} never blocks (a bounded queue; {@link StoreException.Full} when it is full);
 * reads, queries and compaction block on the database and belong on worker threads.
 */
public final class PostgresStore implements RecordStore, EventQueries, Retention {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    private static final String COLUMNS = "position, type, version, at_second, at_nano, subject, payload";

    private final DataSource dataSource;
    private final Clock clock;
    private final RetentionPolicy policy;
    private final Duration pollInterval;
    private final GroupWriter writer;
    private final AtomicLong next;
    private final Object commits;
    private final List<PollingSubscription> subscriptions;
    private final long epoch;
    private final PostgresStore base;
    private volatile boolean closed;

    private PostgresStore(Builder b) throws SQLException {
        this.dataSource = b.dataSource;
        this.clock = b.clock;
        this.policy = b.retention;
        this.pollInterval = b.pollInterval;
        this.subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
        this.commits = new Object();
        this.epoch = 0;
        this.base = this;
        try (Connection c = dataSource.getConnection()) {
            checkDurability(c);
            List<Integer> applied = Migrator.migrate(c, Migrator.shipped());
            if (!applied.isEmpty()) {
                LOG.info("PostgreSQL store schema migrated: versions {} applied", applied);
            }
            this.next = new AtomicLong(counter(c));
        }
        this.writer = new GroupWriter(dataSource, b.queueCapacity, b.maxBatchRecords, end -> {
            next.accumulateAndGet(end, Math::max);
            synchronized (commits) {
                commits.notifyAll();
            }
        });
    }

    /** A view of {@code of} whose appends are fenced by {@code epoch}; everything else is shared. */
    private PostgresStore(PostgresStore of, long epoch) {
        this.dataSource = of.dataSource;
        this.clock = of.clock;
        this.policy = of.policy;
        this.pollInterval = of.pollInterval;
        this.writer = of.writer;
        this.next = of.next;
        this.subscriptions = of.subscriptions;
        this.commits = of.commits;
        this.epoch = epoch;
        this.base = of.base;
    }

    /**
     * This store with its appends fenced by a leader epoch: an append is written only if, in its own transaction,
     * the database's {@code arc4j_leader} row still names {@code epoch}, and fails with {@link StoreException.Fenced}
     * otherwise. The row is the one a leader lease of the centre increments when a node takes the lead (schema
     * version 2); taking the lead waits for the appends in flight, and every append after it sees the new epoch.
     * Reads, queries, subscriptions and the group commit are shared with this store; closing either closes both.
     *
     * @param epoch the epoch this node leads in (positive)
     * @return the fenced store
     */
    public PostgresStore fenced(long epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be positive: " + epoch);
        }
        return new PostgresStore(base, epoch);
    }

    /** @return the leader epoch this store's appends are fenced by, or 0 when they are not */
    public long epoch() {
        return epoch;
    }

    /**
     * Tells the store that some node committed records up to (not including) {@code nextPosition}, so that
     * subscriptions read them now instead of at their next poll: the centre calls it when PostgreSQL notifies it of
     * another node's commit (LISTEN/NOTIFY lives in the centre, not in sdk-core). Never blocks.
     *
     * @param nextPosition the database's next position after that commit
     */
    public void wake(long nextPosition) {
        next.accumulateAndGet(nextPosition, Math::max);
        synchronized (commits) {
            commits.notifyAll();
        }
    }

    /**
     * @param dataSource connections to the database (a pool); each must see {@code synchronous_commit} on
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Opens with the defaults.
     *
     * @param dataSource connections to the database
     * @return the open store
     * @throws StoreException.Failed if the database is unreachable or not durable, or the schema disagrees
     */
    public static PostgresStore open(DataSource dataSource) {
        return builder(dataSource).open();
    }

    private static void checkDurability(Connection c) throws SQLException {
        String sync = show(c, "synchronous_commit");
        if (!"on".equals(sync) && !"remote_apply".equals(sync)) {
            throw new IllegalStateException("PostgreSQL synchronous_commit is '" + sync + "': an ACK would not be"
                    + " durable; set it to on (remote_apply with a synchronous standby)");
        }
        String fsync = show(c, "fsync");
        if (!"on".equals(fsync)) {
            throw new IllegalStateException("PostgreSQL fsync is '" + fsync + "': committed records would not"
                    + " survive a power loss");
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long counter(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT next_position FROM arc4j_counter WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public CompletionStage<Long> append(NewRecord record) {
        Objects.requireNonNull(record, "record");
        return writer.submit(List.of(record), epoch).thenApply(ps -> ps.get(0));
    }

    @Override
    public CompletionStage<List<Long>> appendAll(List<NewRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no records");
        }
        return writer.submit(records, epoch);
    }

    @Override
    public Optional<StoredRecord> read(long position) {
        return query("SELECT " + COLUMNS + " FROM arc4j_record WHERE position = ?", s -> s.setLong(1, position))
                .stream().findFirst();
    }

    @Override
    public long replay(long fromPosition, Consumer<StoredRecord> sink) {
        return replay(fromPosition, null, sink);
    }

    @Override
    public long replay(long fromPosition, Set<RecordType> types, Consumer<StoredRecord> sink) {
        Objects.requireNonNull(sink, "sink");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // a cursor (fetch size) and one snapshot for the counter and the records
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                long end = counter(c);
                String sql = "SELECT " + COLUMNS + " FROM arc4j_record WHERE position >= ? AND position < ?"
                        + (types == null ? "" : " AND type = ANY(?)") + " ORDER BY position";
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setFetchSize(1000);
                    s.setLong(1, fromPosition);
                    s.setLong(2, end);
                    if (types != null) {
                        s.setArray(3, c.createArrayOf("int2", types.stream().map(Fields::code).toArray()));
                    }
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            sink.accept(record(rs));
                        }
                    }
                }
                c.commit();
                next.accumulateAndGet(end, Math::max);
                return Math.max(end, fromPosition);
            } finally {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException.Failed("PostgreSQL replay failed", e);
        }
    }

    @Override
    public Optional<StoredRecord> newest(RecordType type, String subject) {
        Objects.requireNonNull(subject, "subject");
        return query("SELECT " + COLUMNS + " FROM arc4j_record WHERE type = ? AND subject = ?"
                + " ORDER BY position DESC LIMIT 1", s -> {
                    s.setShort(1, Fields.code(type));
                    s.setString(2, subject);
                }).stream().findFirst();
    }

    @Override
    public Subscription subscribe(long fromPosition, Consumer<StoredRecord> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        if (base.closed) {
            throw new StoreException.Closed();
        }
        PollingSubscription s = new PollingSubscription(fromPosition, consumer);
        subscriptions.add(s);
        s.thread.start();
        return s;
    }

    /**
     * The position the next record appended by this node would get, as far as this node knows: exact for a single
     * node, and never more than the database's when other nodes append too (it never blocks, so the intake can
     * call it on an event loop).
     *
     * @return the position
     */
    @Override
    public long nextPosition() {
        return next.get();
    }

    /** @return appends queued and not yet committed */
    public int backlog() {
        return writer.backlog();
    }

    @Override
    public List<StoredRecord> events(EventQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM arc4j_record r WHERE type = 1");
        List<Object> args = new ArrayList<>();
        if (q.from() != null) {
            sql.append(" AND (at_second, at_nano) >= (?, ?)");
            args.add(q.from().getEpochSecond());
            args.add(q.from().getNano());
        }
        if (q.to() != null) {
            sql.append(" AND (at_second, at_nano) < (?, ?)");
            args.add(q.to().getEpochSecond());
            args.add(q.to().getNano());
        }
        if (q.account() != null) {
            sql.append(" AND account = ?");
            args.add(q.account());
        }
        if (q.category() != null) {
            sql.append(" AND category = ?");
            args.add(q.category().name());
        }
        if (q.caseState() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM arc4j_case_event e JOIN arc4j_case c ON c.case_id = e.case_id"
                    + " WHERE e.event_id = r.event_id AND c.state = ?)");
            args.add(q.caseState());
        }
        sql.append(" ORDER BY position LIMIT ").append(q.limit());
        return query(sql.toString(), s -> {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
        });
    }

    @Override
    public List<StoredCaseState> casesIn(String state) {
        Objects.requireNonNull(state, "state");
        return cases("c.state = ?", state);
    }

    @Override
    public Optional<StoredCaseState> caseState(String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        return cases("c.case_id = ?", caseId).stream().findFirst();
    }

    private List<StoredCaseState> cases(String where, String arg) {
        String sql = "SELECT c.case_id, c.state, c.police, c.last_position, c.last_second, c.last_nano, e.event_id"
                + " FROM arc4j_case c LEFT JOIN arc4j_case_event e ON e.case_id = c.case_id WHERE " + where
                + " ORDER BY c.last_position, e.ord";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            Map<String, Object[]> found = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Object[] row = found.computeIfAbsent(rs.getString(1), id -> {
                        try {
                            return new Object[] {rs.getString(2), rs.getBoolean(3), rs.getLong(4),
                                    Instant.ofEpochSecond(rs.getLong(5), rs.getInt(6)), new ArrayList<String>()};
                        } catch (SQLException e) {
                            throw new StoreException.Failed("PostgreSQL case query failed", e);
                        }
                    });
                    String event = rs.getString(7);
                    if (event != null) {
                        @SuppressWarnings("unchecked")
                        List<String> events = (List<String>) row[4];
                        events.add(event);
                    }
                }
            }
            List<StoredCaseState> out = new ArrayList<>(found.size());
            found.forEach((id, r) -> {
                @SuppressWarnings("unchecked")
                List<String> events = (List<String>) r[4];
                out.add(new StoredCaseState(id, (String) r[0], (Boolean) r[1], (Long) r[2], (Instant) r[3], events));
            });
            return out;
        } catch (SQLException e) {
            throw new StoreException.Failed("PostgreSQL case query failed", e);
        }
    }

    @Override
    public RetentionPolicy retentionPolicy() {
        return policy;
    }

    /**
     * Deletes the records past their retention, in one transaction (so a crash leaves all or nothing of it), by
     * the rules of {@link RetentionPolicy}: records of a case aged from its latest transition and kept forever once
     * it was forwarded to the police, the newest configuration and checkpoint of each subject always kept.
     * Positions of the records kept do not change. Deleting by monthly partition instead of by row is not done
     * yet.
     */
    @Override
    public CompactionReport compact() {
        Instant now = clock.instant();
        long removed = 0;
        long kept;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (RecordType t : RecordType.values()) {
                    Optional<Duration> d = policy.retention(t);
                    if (d.isEmpty()) {
                        continue;
                    }
                    Instant cutoff = now.minus(d.get());
                    String belongs = switch (t) {
                        case EVENT -> "c.case_id IN (SELECT e.case_id FROM arc4j_case_event e"
                                + " WHERE e.event_id = r.event_id)";
                        case CASE_TRANSITION, OPERATOR_ACTION, CLIP -> "c.case_id = r.subject";
                        default -> null;
                    };
                    StringBuilder sql = new StringBuilder("DELETE FROM arc4j_record r WHERE r.type = ?"
                            + " AND (r.at_second, r.at_nano) < (?, ?)");
                    if (belongs != null) {
                        sql.append(" AND NOT EXISTS (SELECT 1 FROM arc4j_case c WHERE ").append(belongs)
                                .append(" AND (c.police OR (c.last_second, c.last_nano) >= (?, ?)))");
                    }
                    if (t == RecordType.CONFIG_CHANGE || t == RecordType.CHECKPOINT) {
                        sql.append(" AND r.position <> (SELECT max(n.position) FROM arc4j_record n"
                                + " WHERE n.type = r.type AND n.subject = r.subject)");
                    }
                    try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                        s.setShort(1, Fields.code(t));
                        s.setLong(2, cutoff.getEpochSecond());
                        s.setInt(3, cutoff.getNano());
                        if (belongs != null) {
                            s.setLong(4, cutoff.getEpochSecond());
                            s.setInt(5, cutoff.getNano());
                        }
                        removed += s.executeUpdate();
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM arc4j_case c WHERE NOT EXISTS (SELECT 1 FROM arc4j_record r"
                            + " WHERE r.type = 3 AND r.subject = c.case_id)");
                    s.executeUpdate("DELETE FROM arc4j_case_event e WHERE NOT EXISTS (SELECT 1 FROM arc4j_case c"
                            + " WHERE c.case_id = e.case_id)");
                    s.executeUpdate("DELETE FROM arc4j_idempotency i WHERE i.key_position IS NOT NULL AND NOT EXISTS"
                            + " (SELECT 1 FROM arc4j_record r WHERE r.position = i.key_position)");
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM arc4j_record")) {
                        rs.next();
                        kept = rs.getLong(1);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException.Failed("PostgreSQL compaction failed; nothing was deleted", e);
        }
        return new CompactionReport(now, 0, 0, removed, kept, 0);
    }

    /** Commits what is queued, stops the subscriptions and the writer; the data source stays the caller's. */
    @Override
    public void close() {
        if (base != this) {
            base.close();
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        for (PollingSubscription s : subscriptions) {
            s.close();
        }
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private List<StoredRecord> query(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            List<StoredRecord> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(record(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException.Failed("PostgreSQL read failed", e);
        }
    }

    private static StoredRecord record(ResultSet rs) throws SQLException {
        return new StoredRecord(rs.getLong(1), Fields.type(rs.getShort(2)), rs.getInt(3),
                Instant.ofEpochSecond(rs.getLong(4), rs.getInt(5)), rs.getString(6), rs.getBytes(7));
    }

    /** A subscription's thread: reads what is past its position, then waits for a commit or the poll interval. */
    private final class PollingSubscription implements Subscription {
        private final Consumer<StoredRecord> consumer;
        private final Thread thread;
        private volatile boolean stopped;
        private long position;

        PollingSubscription(long from, Consumer<StoredRecord> consumer) {
            this.position = from;
            this.consumer = consumer;
            this.thread = new Thread(this::run, "arc4j-pg-subscription");
            thread.setDaemon(true);
        }

        private void run() {
            while (!stopped) {
                List<StoredRecord> got;
                try {
                    got = query("SELECT " + COLUMNS + " FROM arc4j_record WHERE position >= ? ORDER BY position"
                            + " LIMIT 1000", s -> s.setLong(1, position));
                } catch (StoreException e) {
                    LOG.warn("subscription poll failed, retrying: {}",
                            String.valueOf(e.getCause() == null ? e : e.getCause()));
                    got = List.of();
                }
                for (StoredRecord r : got) {
                    if (stopped) {
                        return;
                    }
                    consumer.accept(r);
                    position = r.position() + 1;
                }
                if (got.size() < 1000) {
                    synchronized (commits) {
                        if (!stopped && next.get() <= position) {
                            try {
                                commits.wait(pollInterval.toMillis());
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                }
            }
        }

        @Override
        public void close() {
            stopped = true;
            subscriptions.remove(this);
            synchronized (commits) {
                commits.notifyAll();
            }
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Options of a {@link PostgresStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private Clock clock = Clock.systemUTC();
        private RetentionPolicy retention = RetentionPolicy.ga1383();
        private Duration pollInterval = Duration.ofMillis(50);
        private int queueCapacity = 65_536;
        private int maxBatchRecords = 2_000;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** @param c the clock retention is judged by (default UTC system clock) @return this */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** @param p the retention policy (default {@link RetentionPolicy#ga1383()}) @return this */
        public Builder retention(RetentionPolicy p) {
            this.retention = Objects.requireNonNull(p, "retention");
            return this;
        }

        /**
         * @param d how often subscriptions look for records other nodes appended (default 50 ms; this node's own
         *          commits wake them at once)
         * @return this
         */
        public Builder pollInterval(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive: " + d);
            }
            this.pollInterval = d;
            return this;
        }

        /** @param appends the most appends queued before {@link StoreException.Full} (default 65,536) @return this */
        public Builder queueCapacity(int appends) {
            if (appends < 1) {
                throw new IllegalArgumentException("queue capacity must be positive: " + appends);
            }
            this.queueCapacity = appends;
            return this;
        }

        /** @param records the most records committed in one transaction (default 2,000) @return this */
        public Builder maxBatchRecords(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("batch size must be positive: " + records);
            }
            this.maxBatchRecords = records;
            return this;
        }

        /**
         * Checks durability settings, migrates the schema and starts the writer.
         *
         * @return the open store
         * @throws StoreException.Failed if the database cannot be reached
         * @throws IllegalStateException if {@code synchronous_commit} or {@code fsync} is off, or the schema's
         *                               migrations disagree with this code
         */
        public PostgresStore open() {
            try {
                return new PostgresStore(this);
            } catch (SQLException e) {
                throw new StoreException.Failed("cannot open the PostgreSQL store", e);
            }
        }
    }
}
