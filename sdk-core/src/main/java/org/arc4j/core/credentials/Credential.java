package org.arc4j.core.credentials;

import java.util.Map;
import java.util.Objects;

/**
 * A stored credential: an optional user name, the {@link Secret}, and options that say how the device uses
 * it. Its {@link #toString()} never shows the secret.
 *
 * <p>Options that arc4j's adapters read (all optional, values as text):
 * <ul>
 *   <li>{@value #OPTION_KEY_FORMAT}: {@code hex} (default) or {@code text} — a DC-09 key given as typed text
 *       used byte for byte;</li>
 *   <li>{@value #OPTION_WEAK_KEY_ACCEPTED}: {@code true} to accept a known-weak key of an installed panel
 *       (an audited override);</li>
 *   <li>{@value #OPTION_KEY_CHANGE_ALLOWED}: {@code true} to accept DC-09 {@code [K…]} key-change requests.</li>
 * </ul>
 *
 * @param username the user name, or null when the kind has none
 * @param secret   the secret
 * @param options  options, never null
 */
public record Credential(String username, Secret secret, Map<String, String> options) {
    /** Option key: how a DC-09 key is written. */
    public static final String OPTION_KEY_FORMAT = "keyFormat";
    /** Option key: weak key accepted by explicit override. */
    public static final String OPTION_WEAK_KEY_ACCEPTED = "weakKeyAccepted";
    /** Option key: DC-09 key change allowed. */
    public static final String OPTION_KEY_CHANGE_ALLOWED = "keyChangeAllowed";

    /** Copies the options and validates the secret. */
    public Credential {
        Objects.requireNonNull(secret, "secret");
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /**
     * A credential that is only a secret.
     *
     * @param secret the secret
     * @return the credential
     */
    public static Credential of(Secret secret) {
        return new Credential(null, secret, Map.of());
    }

    /**
     * An option's value.
     *
     * @param name the option
     * @return its value, or null
     */
    public String option(String name) {
        return options.get(name);
    }

    /**
     * Whether a boolean option is set to {@code true}.
     *
     * @param name the option
     * @return true if its value is {@code true}
     */
    public boolean flag(String name) {
        return "true".equalsIgnoreCase(options.get(name));
    }

    @Override
    public String toString() {
        return "Credential[username=" + username + ", secret=" + secret + ", options=" + options + "]";
    }
}
