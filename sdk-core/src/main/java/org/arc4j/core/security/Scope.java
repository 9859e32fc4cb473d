package org.arc4j.core.security;

import java.util.Objects;
import java.util.Set;

/**
 * The customers and sites a user is bound to. It matters only for roles whose {@link Reach} is
 * {@link Reach#OWN_SITES} (a customer viewer); for others it is usually {@link #NONE}. Immutable.
 *
 * @param customerIds customers whose every site is in scope
 * @param siteIds     single sites in scope (site ids are unique across the centre)
 */
public record Scope(Set<String> customerIds, Set<String> siteIds) {
    /** No customer and no site. */
    public static final Scope NONE = new Scope(Set.of(), Set.of());

    /** Copies both sets. */
    public Scope {
        customerIds = Set.copyOf(Objects.requireNonNull(customerIds, "customerIds"));
        siteIds = Set.copyOf(Objects.requireNonNull(siteIds, "siteIds"));
    }

    /**
     * Every site of one customer.
     *
     * @param customerId the customer
     * @return the scope
     */
    public static Scope customer(String customerId) {
        return new Scope(Set.of(customerId), Set.of());
    }

    /**
     * Some sites.
     *
     * @param siteIds the sites
     * @return the scope
     */
    public static Scope sites(String... siteIds) {
        return new Scope(Set.of(), Set.of(siteIds));
    }

    /**
     * Whether a resource lies in this scope: its customer is one of ours, or its site is.
     *
     * @param resource the resource
     * @return true if it is in scope
     */
    public boolean covers(Resource resource) {
        if (resource.customerId() == null) {
            return false;
        }
        return customerIds.contains(resource.customerId())
                || (resource.siteId() != null && siteIds.contains(resource.siteId()));
    }
}
