package org.arc4j.core.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from Debian's {@code postgresql} package: {@code initdb} and {@code pg_ctl}
 * from {@code /usr/lib/postgresql/<version>/bin}, a data directory under {@code /var/tmp} (outside root's 0700
 * temporary directories), a free port on 127.0.0.1 (never 5432, where the package's own cluster listens) and the
 * socket in the data directory. {@code initdb} refuses to run as root, so as root the server runs as the
 * {@code postgres} user through {@code runuser}. One server per JVM, started on first use and stopped (its
 * directory deleted) when the JVM exits. Each test takes its own schema ({@link #freshSchema}), so stores start
 * empty without the cost of a database per test.
 */
public final class PostgresServer {
    private static PostgresServer instance;
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;

    private PostgresServer(Path bin) throws IOException, InterruptedException {
        this.bin = bin;
        this.asPostgres = "root".equals(System.getProperty("user.name"));
        this.dir = Files.createTempDirectory(Path.of("/var/tmp"), "arc4j-pg");
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        Path data = dir.resolve("data");
        if (asPostgres) {
            UserPrincipal pg = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, pg);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "arc4j",
                "-E", "UTF8", "--no-sync"));
        start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "arc4j-pg-stop"));
    }

    /**
     * The server of this JVM, started on first call. Under {@code CI=true} a missing PostgreSQL fails the test;
     * elsewhere it is skipped.
     *
     * @return the running server
     */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            Path bin = findBin();
            RealPeers.require(bin != null, "PostgreSQL server (Debian package postgresql)");
            try {
                instance = new PostgresServer(bin);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    private static Path findBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the port it listens on, on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return the JDBC URL of its {@code postgres} database */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=arc4j";
    }

    /** @return a new empty schema's name, created now */
    public String freshSchema() {
        String name = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    /**
     * @param schema   the schema its connections use
     * @param poolSize the most connections
     * @return a pool on it; the caller closes it
     */
    public HikariDataSource dataSource(String schema, int poolSize) {
        return dataSource(schema, poolSize, "arc4j-test");
    }

    /**
     * @param schema          the schema its connections use
     * @param poolSize        the most connections
     * @param applicationName the sessions' {@code application_name}, by which a test can end them
     * @return a pool on it; the caller closes it
     */
    public HikariDataSource dataSource(String schema, int poolSize, String applicationName) {
        HikariConfig c = new HikariConfig();
        c.addDataSourceProperty("ApplicationName", applicationName);
        c.setJdbcUrl(jdbcUrl());
        c.setSchema(schema);
        c.setMaximumPoolSize(poolSize);
        c.setPoolName("arc4j-test-" + schema);
        return new HikariDataSource(c);
    }

    /**
     * Stops the server at once ({@code pg_ctl stop -m immediate}: a crash, no checkpoint), as a test of what its
     * clients do without the database; {@link #start()} brings it back on the same port with the same data.
     * Other tests of this JVM share the server: restart it in a {@code finally}.
     *
     * @throws IOException          if pg_ctl cannot run
     * @throws InterruptedException if interrupted
     */
    public synchronized void crash() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                "-w", "stop"));
    }

    /**
     * Starts the server again after {@link #crash()} (it recovers from its WAL).
     *
     * @throws IOException          if pg_ctl cannot run
     * @throws InterruptedException if interrupted
     */
    public synchronized void start() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("log").toString(), "-w", "-t", "60", "-o", "-k " + dir + " -p " + port
                        + " -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=32MB", "start"));
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("cmd.log").toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " failed: " + Files.readString(dir.resolve("cmd.log"))
                    + (Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : ""));
        }
    }

    private void stop() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"));
        } catch (IOException | RuntimeException e) {
            // still delete what can be deleted
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException ignored) {
            // a leftover under /var/tmp is harmless
        }
    }
}
