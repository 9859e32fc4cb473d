package org.arc4j.examples.center.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Where the centre's PostgreSQL store is, as given on the command line: {@code postgresql://USER[:PASSWORD]@HOST:PORT/DB}.
 * The password may instead come from the environment variable {@value #PASSWORD_VARIABLE} (so it does not show in
 * the process list); a password in the URL wins. The port defaults to 5432. Immutable.
 *
 * @param host     the database host
 * @param port     its port
 * @param database the database name
 * @param user     the user, or null for the driver's default
 * @param password the password, or null
 */
public record PostgresStoreUrl(String host, int port, String database, String user, String password) {
    /** The environment variable the password is read from when the URL has none. */
    public static final String PASSWORD_VARIABLE = "ARC4J_PG_PASSWORD";

    /** Validates the parts. */
    public PostgresStoreUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
    }

    /**
     * Parses a store URL.
     *
     * @param url the URL
     * @param env the environment, for {@value #PASSWORD_VARIABLE}
     * @return the parts
     * @throws IllegalArgumentException with a one-line message when it is not a {@code postgresql://} URL with a
     *                                  host and a database
     */
    public static PostgresStoreUrl parse(String url, Map<String, String> env) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a store URL: " + e.getMessage());
        }
        if (!"postgresql".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("the store must be postgresql://USER[:PASSWORD]@HOST:PORT/DB");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        if (path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw new IllegalArgumentException("the store URL needs one database name after the port: " + path);
        }
        String user = null;
        String password = null;
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (password == null) {
            password = env.get(PASSWORD_VARIABLE);
        }
        return new PostgresStoreUrl(u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(), decode(path.substring(1)), user,
                password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** @return the JDBC URL, without the credentials */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /**
     * Opens a connection pool on it.
     *
     * @param poolName the pool's name in logs and metrics
     * @param size     the most connections
     * @return the pool; the caller closes it
     */
    public HikariDataSource pool(String poolName, int size) {
        return pool(poolName, size, null);
    }

    /**
     * Opens a connection pool on it whose sessions carry an {@code application_name} (shown in
     * {@code pg_stat_activity}, so an administrator sees which centre node holds which session).
     *
     * @param poolName        the pool's name in logs and metrics
     * @param size            the most connections
     * @param applicationName the sessions' application name, or null
     * @return the pool; the caller closes it
     */
    public HikariDataSource pool(String poolName, int size, String applicationName) {
        HikariConfig c = new HikariConfig();
        if (applicationName != null) {
            c.addDataSourceProperty("ApplicationName", applicationName);
        }
        c.setJdbcUrl(jdbcUrl());
        if (user != null) {
            c.setUsername(user);
        }
        if (password != null) {
            c.setPassword(password);
        }
        c.setPoolName(poolName);
        c.setMaximumPoolSize(size);
        return new HikariDataSource(c);
    }

    /** The password never shows in logs. */
    @Override
    public String toString() {
        return "postgresql://" + (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
    }
}
