package org.arc4j.examples.center.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.postgres.PostgresStore;
import org.arc4j.core.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;

/** The store URL: its parts, the password from the environment, and a store opened through it on a real server. */
class PostgresStoreUrlTest {
    @Test
    void partsAndThePasswordFromTheEnvironment() {
        PostgresStoreUrl u = PostgresStoreUrl.parse("postgresql://arc4j:s%3Acret@db1.example:6543/centre", Map.of());
        assertThat(u).isEqualTo(new PostgresStoreUrl("db1.example", 6543, "centre", "arc4j", "s:cret"));
        assertThat(u.toString()).doesNotContain("cret");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db1.example:6543/centre");
        PostgresStoreUrl e = PostgresStoreUrl.parse("postgresql://arc4j@db1/centre",
                Map.of(PostgresStoreUrl.PASSWORD_VARIABLE, "from-env"));
        assertThat(e.password()).isEqualTo("from-env");
        assertThat(e.port()).isEqualTo(5432);
        assertThatThrownBy(() -> PostgresStoreUrl.parse("mysql://db1/centre", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> PostgresStoreUrl.parse("postgresql://db1:5432/", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database");
    }

    @Test
    void opensAStoreOnARealServer() {
        PostgresServer server = PostgresServer.get();
        PostgresStoreUrl u = PostgresStoreUrl.parse("postgresql://arc4j@127.0.0.1:" + server.port() + "/postgres",
                Map.of());
        try (HikariDataSource pool = u.pool("arc4j-url-test", 2); PostgresStore store = PostgresStore.open(pool)) {
            long p = store.append(new NewRecord(RecordType.AUDIT, 1, Instant.now(), "url-test",
                    "{}".getBytes(StandardCharsets.UTF_8))).toCompletableFuture().join();
            assertThat(store.read(p)).hasValueSatisfying(r -> assertThat(r.subject()).isEqualTo("url-test"));
        }
    }
}
