package org.arc4j.examples.center;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.CredentialVault;
import org.arc4j.core.security.PasswordCheck;
import org.arc4j.core.security.PasswordPolicy;
import org.arc4j.core.security.PasswordRejectedException;
import org.arc4j.core.security.PersonalData;
import org.arc4j.core.security.Role;
import org.arc4j.core.security.Scope;
import org.arc4j.core.security.User;
import org.arc4j.core.security.UserDirectory;

/**
 * Keeps the centre's operator accounts across restarts. The SDK's {@link UserDirectory} lives in memory and does
 * not hand out its hashes, so each account is kept in the encrypted credential vault (kind {@code OTHER}, scope
 * {@code user:<name>}, with its role and scope as options) and recreated at start. The vault is encrypted under a
 * key-encryption key held outside the data directory, so a copy of the data directory reveals no password.
 *
 * <p>The first administrator ({@code admin}) gets {@code ARC4J_ADMIN_PASSWORD}, checked by the password policy,
 * or a generated password shown once on the terminal (never logged) and written to
 * {@code DATA/initial-admin-password} with mode 0600. Thread-safe.
 */
public final class CenterUsers {
    /** The first administrator's user name. */
    static final String ADMIN = "admin";
    /** The file the generated password goes to, inside the data directory. */
    static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
    private static final String PREFIX = "user:";

    private final UserDirectory users;
    private final CredentialVault vault;
    private final PasswordPolicy policy;
    private final org.arc4j.examples.center.admin.ChangeBackups backups =
            new org.arc4j.examples.center.admin.ChangeBackups();

    CenterUsers(UserDirectory users, CredentialVault vault, PasswordPolicy policy) {
        this.users = users;
        this.vault = vault;
        this.policy = policy;
    }

    /**
     * Recreates every stored account, and the first administrator when there is none yet.
     *
     * @param env      the environment ({@code ARC4J_ADMIN_PASSWORD})
     * @param data     the data directory
     * @param terminal where the generated password is shown
     * @throws IllegalArgumentException if {@code ARC4J_ADMIN_PASSWORD} breaks the password policy
     * @throws IOException              if the password file cannot be written
     */
    void restore(Map<String, String> env, Path data, PrintStream terminal) throws IOException {
        for (CredentialKey k : vault.keys(CredentialKind.OTHER)) {
            if (!k.scope().startsWith(PREFIX)) {
                continue;
            }
            String name = k.scope().substring(PREFIX.length());
            Credential c = vault.find(k).orElseThrow();
            User u = new User(name, Set.of(role(c.option("role"))), scope(c), !"false".equals(c.option("enabled")));
            users.createUser(Actor.of(name, "restore"), u, PersonalData.ofUsername(name), c.secret());
        }
        if (users.user(ADMIN).isPresent()) {
            return;
        }
        String given = env.get("ARC4J_ADMIN_PASSWORD");
        Secret password;
        if (given != null) {
            password = Secret.ofUtf8(given);
            PasswordCheck check = policy.check(password, PersonalData.ofUsername(ADMIN));
            if (!check.accepted()) {
                throw new IllegalArgumentException("ARC4J_ADMIN_PASSWORD is refused by the password policy: "
                        + check.violations().get(0).rule() + " (" + check.violations().get(0).explanation() + ")");
            }
        } else {
            password = generate(policy);
        }
        create(Actor.of(ADMIN, "first start"), ADMIN, Role.ADMINISTRATOR, Scope.NONE, password);
        if (given == null) {
            Path file = data.resolve(INITIAL_PASSWORD_FILE);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password.revealUtf8() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.TRUNCATE_EXISTING);
            terminal.println("arc4j-center: first start: user '" + ADMIN + "' has the generated password "
                    + password.revealUtf8());
            terminal.println("arc4j-center: it is also in " + file + " (mode 0600); this is the only time it is shown");
        } else {
            terminal.println("arc4j-center: first start: user '" + ADMIN + "' has the password of ARC4J_ADMIN_PASSWORD");
        }
    }

    /** A random password the policy accepts: drawn again when chance breaks a rule (for example three alike). */
    private static Secret generate(PasswordPolicy policy) {
        SecureRandom r = new SecureRandom();
        for (int tries = 0; tries < 1_000; tries++) {
            Secret candidate = draw(r);
            if (policy.check(candidate, PersonalData.ofUsername(ADMIN)).accepted()) {
                return candidate;
            }
        }
        throw new IllegalStateException("the password policy refuses every generated 20-character password;"
                + " set ARC4J_ADMIN_PASSWORD instead");
    }

    private static Secret draw(SecureRandom r) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        String symbols = "-_.!@#%+=";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(i % 5 == 4 ? symbols.charAt(r.nextInt(symbols.length())) : alphabet.charAt(r.nextInt(alphabet.length())));
        }
        b.setCharAt(0, "ABCDEFGHJKLMNPQRSTUVWXYZ".charAt(r.nextInt(24)));
        b.setCharAt(1, "abcdefghijkmnopqrstuvwxyz".charAt(r.nextInt(25)));
        b.setCharAt(2, "23456789".charAt(r.nextInt(8)));
        return Secret.ofUtf8(b);
    }

    /**
     * Creates a user and stores it.
     *
     * @param by       who
     * @param name     the user name
     * @param role     the role
     * @param scope    the scope (customers and sites for scoped roles)
     * @param password the initial password
     * @throws PasswordRejectedException if the password breaks the policy
     * @throws IllegalStateException     if the name is taken
     */
    /**
     * @return the backups the administration API takes before and after a user is created, changed or has the
     *         password reset by an administrator (GA 1383 数据维护: 系统管理 data); the centre sets their hook
     */
    public org.arc4j.examples.center.admin.ChangeBackups backups() {
        return backups;
    }

    /**
     * Whether the password policy refuses a password outright (the directory decides anyway, with the history):
     * so that a change bound to be refused takes no backup.
     *
     * @param name     the user
     * @param password the candidate
     * @return true when it breaks a rule
     */
    public boolean refused(String name, Secret password) {
        return !policy.check(password, PersonalData.ofUsername(name)).accepted();
    }

    public synchronized void create(Actor by, String name, Role role, Scope scope, Secret password) {
        users.createUser(by, User.of(name, role, scope), PersonalData.ofUsername(name), password);
        store(name, role, scope, password);
    }

    /**
     * Stores a user's new password after the directory accepted it.
     *
     * @param name     the user
     * @param password the new password
     */
    public synchronized void passwordChanged(String name, Secret password) {
        User u = users.user(name).orElseThrow();
        store(name, u.roles().iterator().next(), u.scope(), password);
        if (!u.enabled()) {
            changed(name);
        }
    }

    /**
     * Stores a user's role, scope and enabled state after the directory changed them (the password stays).
     *
     * @param name the user
     */
    public synchronized void changed(String name) {
        User u = users.user(name).orElseThrow();
        Credential c = vault.find(CredentialKey.of(CredentialKind.OTHER, PREFIX + name)).orElseThrow();
        Map<String, String> options = options(u.roles().iterator().next(), u.scope());
        options.put("enabled", Boolean.toString(u.enabled()));
        vault.put(CredentialKey.of(CredentialKind.OTHER, PREFIX + name), new Credential(name, c.secret(), options));
    }

    private static Map<String, String> options(Role role, Scope scope) {
        Map<String, String> options = new HashMap<>();
        options.put("role", role.name());
        options.put("customers", String.join(",", scope.customerIds()));
        options.put("sites", String.join(",", scope.siteIds()));
        return options;
    }

    private void store(String name, Role role, Scope scope, Secret password) {
        Map<String, String> options = options(role, scope);
        vault.put(CredentialKey.of(CredentialKind.OTHER, PREFIX + name), new Credential(name, password, options));
    }

    private static Role role(String name) {
        return name == null ? Role.OPERATOR : Role.valueOf(name);
    }

    private static Scope scope(Credential c) {
        return new Scope(split(c.option("customers")), split(c.option("sites")));
    }

    private static Set<String> split(String s) {
        Set<String> out = new HashSet<>();
        if (s != null) {
            for (String p : s.split(",")) {
                if (!p.isBlank()) {
                    out.add(p.trim());
                }
            }
        }
        return out;
    }
}
