package org.arc4j.core.store.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Applies the store's schema migrations: plain SQL files {@code V1.sql}, {@code V2.sql}, … beside the store class,
 * each applied once, in order, in one transaction, and recorded in {@code arc4j_schema} with its SHA-256. A file
 * whose checksum no longer matches what was applied means the schema and the code disagree: the store refuses to
 * start. Several nodes starting at once serialize on a lock of the schema table.
 */
public final class Migrator {
    private static final String RESOURCE_DIR = "/org/arc4j/core/store/postgres/";

    private Migrator() {
    }

    /** A migration file. @param version its number @param sql its text @param checksum its SHA-256, hex */
    public record Migration(int version, String sql, String checksum) {
    }

    /** @return the migrations shipped with this code, in order */
    public static List<Migration> shipped() {
        List<Migration> out = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = Migrator.class.getResourceAsStream(RESOURCE_DIR + "V" + v + ".sql")) {
                if (in == null) {
                    return out;
                }
                byte[] bytes = in.readAllBytes();
                out.add(new Migration(v, new String(bytes, StandardCharsets.UTF_8), sha256(bytes)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Brings the schema up to date.
     *
     * @param c          a connection (its auto-commit is restored)
     * @param migrations the migrations to apply, in order
     * @return the versions applied now
     * @throws SQLException          if the database failed
     * @throws IllegalStateException if an applied migration's checksum differs, or the database is newer
     */
    public static List<Integer> migrate(Connection c, List<Migration> migrations) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS arc4j_schema (version integer PRIMARY KEY, checksum text NOT NULL,"
                    + " applied_at timestamptz NOT NULL DEFAULT now())");
        } catch (SQLException raced) {
            // two nodes creating it at once: one wins, the other sees a unique violation on the catalog
            if (!"23505".equals(raced.getSQLState()) && !"42P07".equals(raced.getSQLState())) {
                throw raced;
            }
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            List<Integer> applied = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE arc4j_schema IN ACCESS EXCLUSIVE MODE");
                Map<Integer, String> done = new HashMap<>();
                try (ResultSet rs = s.executeQuery("SELECT version, checksum FROM arc4j_schema")) {
                    while (rs.next()) {
                        done.put(rs.getInt(1), rs.getString(2));
                    }
                }
                for (Migration m : migrations) {
                    String was = done.remove(m.version());
                    if (was != null) {
                        if (!was.equals(m.checksum())) {
                            throw new IllegalStateException("schema migration V" + m.version()
                                    + " was applied with checksum " + was + " but the file now has " + m.checksum()
                                    + ": the database schema and this code disagree");
                        }
                        continue;
                    }
                    s.execute(m.sql());
                    try (PreparedStatement p = c.prepareStatement(
                            "INSERT INTO arc4j_schema (version, checksum) VALUES (?, ?)")) {
                        p.setInt(1, m.version());
                        p.setString(2, m.checksum());
                        p.executeUpdate();
                    }
                    applied.add(m.version());
                }
                if (!done.isEmpty()) {
                    throw new IllegalStateException("the database has schema versions " + done.keySet()
                            + " that this code does not know: it was migrated by a newer arc4j");
                }
            }
            c.commit();
            return applied;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
