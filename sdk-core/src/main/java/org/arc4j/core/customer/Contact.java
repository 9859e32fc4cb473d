package org.arc4j.core.customer;

import java.util.Objects;

/**
 * A person the centre calls about a customer's alarms (phone verification, notification), in call order.
 *
 * @param name  the name
 * @param phone the phone number as dialled
 * @param role  the role, e.g. {@code owner}, {@code keyholder}, {@code insurer}
 */
public record Contact(String name, String phone, String role) {
    /** Validates the parts. */
    public Contact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(role, "role");
    }
}
