package org.arc4j.benchmarks.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.postgres.PostgresStore;

/**
 * Durable append throughput of {@link PostgresStore} with group commit: each message is what the intake appends
 * (an EVENT record of about 400 bytes of JSON and its IDEMPOTENCY_KEY record, atomically), with a bounded number of
 * messages in flight, from one or several stores ("nodes") on the same database. Prints events/s per run; the
 * database must be reachable and empty of arc4j tables or hold only earlier runs.
 *
 * <pre>java -cp benchmarks.jar org.arc4j.benchmarks.postgres.PostgresAppendThroughput JDBC_URL MESSAGES NODES INFLIGHT</pre>
 */
public final class PostgresAppendThroughput {
    private PostgresAppendThroughput() {
    }

    /**
     * @param args JDBC URL, messages per node, nodes, messages in flight per node
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int messages = Integer.parseInt(args[1]);
        int nodes = Integer.parseInt(args[2]);
        int inflight = Integer.parseInt(args[3]);
        List<HikariDataSource> pools = new ArrayList<>();
        List<PostgresStore> stores = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(url);
            c.setMaximumPoolSize(4);
            HikariDataSource pool = new HikariDataSource(c);
            pools.add(pool);
            stores.add(PostgresStore.open(pool));
        }
        String run = Long.toString(System.nanoTime(), 36);
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            PostgresStore store = stores.get(n);
            String node = "n" + n;
            Thread t = new Thread(() -> load(store, run + node, messages, inflight, failed));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long events = (long) messages * nodes;
        System.out.printf("nodes=%d messages=%d inflight/node=%d failed=%d: %.1f s, %,.0f events/s (%,.0f records/s)%n",
                nodes, events, inflight, failed.get(), seconds, events / seconds, 2 * events / seconds);
        for (PostgresStore s : stores) {
            s.close();
        }
        for (HikariDataSource p : pools) {
            p.close();
        }
    }

    private static void load(PostgresStore store, String prefix, int messages, int inflight, AtomicLong failed) {
        Semaphore window = new Semaphore(inflight);
        CompletableFuture<?>[] last = new CompletableFuture<?>[1];
        for (int i = 0; i < messages; i++) {
            window.acquireUninterruptibly();
            String id = prefix + "-" + i;
            byte[] event = ("{\"id\":\"" + id + "\",\"receiver\":\"R1\",\"line\":\"L1\",\"account\":\"" + (1000 + i % 5000)
                    + "\",\"category\":\"INTRUSION\",\"code\":\"BA\",\"codeSystem\":\"SIA\",\"zone\":\"" + (i % 64)
                    + "\",\"partition\":\"1\",\"receivedAt\":\"" + Instant.now() + "\",\"transport\":\"DC09_TCP\","
                    + "\"description\":\"burglary, zone " + (i % 64) + ", ground floor rear door\",\"raw\":\"#1234|NBA"
                    + (i % 64) + "\"}").getBytes(StandardCharsets.UTF_8);
            byte[] key = ("{\"key\":\"dc09/" + id + "\",\"events\":[\"" + id + "\"]}").getBytes(StandardCharsets.UTF_8);
            Instant now = Instant.now();
            last[0] = store.appendAll(List.of(new NewRecord(RecordType.EVENT, 1, now, "R1/L1/" + (1000 + i % 5000),
                    event), new NewRecord(RecordType.IDEMPOTENCY_KEY, 1, now, "", key))).toCompletableFuture()
                    .whenComplete((p, e) -> {
                        if (e != null) {
                            failed.incrementAndGet();
                        }
                        window.release();
                    });
        }
        window.acquireUninterruptibly(inflight);
    }
}
