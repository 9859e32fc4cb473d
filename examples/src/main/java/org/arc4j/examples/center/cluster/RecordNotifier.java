package org.arc4j.examples.center.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.arc4j.core.store.postgres.PostgresStore;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a node's {@link PostgresStore} at once when any node commits records, so that its subscriptions (the
 * leader's pipeline following the other nodes' intakes, a reader's console) see them without waiting for their
 * next poll. PostgreSQL's LISTEN/NOTIFY, which is why it lives in the centre and not in sdk-core: a trigger on the
 * store's position counter ({@link #install}) notifies channel {@value #CHANNEL} with the next position at every
 * appending transaction's commit (a notification is delivered only if its transaction commits), and this class
 * listens on one connection and hands each to {@link PostgresStore#wake(long)}.
 *
 * <p>Notifications are a shortcut, not the record: while the listening connection is broken the store's polling
 * still finds everything, and the notifier connects again. Thread-safe; one thread of its own.
 */
public final class RecordNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordNotifier.class);
    /** The notification channel. */
    public static final String CHANNEL = "arc4j_records";

    private final DataSource dataSource;
    private final PostgresStore store;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean listening;

    /**
     * Creates (or replaces) the trigger that notifies every commit of records; idempotent, safe on every start.
     * Run it after the store has migrated the schema.
     *
     * @param dataSource the store's database
     * @throws SQLException if the database refuses (the user needs the right to create functions and triggers)
     */
    public static void install(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION arc4j_notify_records() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN PERFORM pg_notify('" + CHANNEL + "', NEW.next_position::text); RETURN NEW; END $$");
            s.execute("CREATE OR REPLACE TRIGGER arc4j_records_committed AFTER UPDATE ON arc4j_counter"
                    + " FOR EACH ROW EXECUTE FUNCTION arc4j_notify_records()");
        }
    }

    /**
     * Starts listening.
     *
     * @param dataSource the store's database (one connection is held while listening)
     * @param store      the store to wake
     */
    public RecordNotifier(DataSource dataSource, PostgresStore store) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.store = Objects.requireNonNull(store, "store");
        this.thread = new Thread(this::run, "arc4j-pg-notifier");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Duration retry = Duration.ofMillis(200);
        while (!closed) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                retry = Duration.ofMillis(200);
                listening = true;
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(250);
                    if (got == null) {
                        continue;
                    }
                    long next = 0;
                    for (PGNotification n : got) {
                        next = Math.max(next, parse(n.getParameter()));
                    }
                    if (next > 0) {
                        store.wake(next);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    return;
                }
                LOG.warn("not listening for other nodes' commits (polling meanwhile), again in {} ms: {}",
                        retry.toMillis(), e.toString());
                try {
                    Thread.sleep(retry.toMillis()); // a reconnection back-off on real I/O, not a timer
                } catch (InterruptedException ie) {
                    return;
                }
                retry = retry.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
                        : retry.multipliedBy(2);
            }
        }
    }

    /** @return whether it listens now (false while its connection is broken: the store's polling then serves) */
    public boolean listening() {
        return listening;
    }

    private static long parse(String payload) {
        try {
            return Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Stops listening (within about a quarter of a second) and gives the connection back. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
