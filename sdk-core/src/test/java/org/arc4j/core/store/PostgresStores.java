package org.arc4j.core.store;

import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.arc4j.core.store.postgres.PostgresStore;
import org.arc4j.core.testsupport.PostgresServer;

/** PostgreSQL stores for the contract tests, each in a fresh schema of the test server. */
final class PostgresStores {
    private static final List<HikariDataSource> POOLS = new CopyOnWriteArrayList<>();

    private PostgresStores() {
    }

    /** @return a new empty store (skipped, or failed under CI, without PostgreSQL) */
    static PostgresStore open() {
        return open(b -> b);
    }

    /** @param options changes to the builder @return a new empty store */
    static PostgresStore open(UnaryOperator<PostgresStore.Builder> options) {
        PostgresServer server = PostgresServer.get();
        HikariDataSource pool = server.dataSource(server.freshSchema(), 4);
        POOLS.add(pool);
        return options.apply(PostgresStore.builder(pool)).open();
    }

    /** Closes the pools of the stores opened so far (the stores must be closed first). */
    static void closePools() {
        for (HikariDataSource p : POOLS) {
            p.close();
        }
        POOLS.clear();
    }
}
