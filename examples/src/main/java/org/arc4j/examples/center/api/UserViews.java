package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.arc4j.core.security.Role;
import org.arc4j.core.security.User;

/** The API's words for users: role names and the JSON of a user. Stateless. */
final class UserViews {
    private UserViews() {
    }

    /**
     * A user as the API shows it: name, role, and the customers and sites of its scope.
     *
     * @param u the user
     * @return its JSON
     */
    static ObjectNode json(User u) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", u.username());
        Role role = u.roles().isEmpty() ? null : u.roles().iterator().next();
        n.put("role", role == null ? null : nameOf(role));
        ArrayNode customers = n.putArray("customers");
        u.scope().customerIds().forEach(customers::add);
        ArrayNode sites = n.putArray("sites");
        u.scope().siteIds().forEach(sites::add);
        return n;
    }

    /**
     * The API's role names.
     *
     * @param name {@code operator}, {@code maintenance}, {@code guard}, {@code supervisor}, {@code admin},
     *             {@code police} or {@code customer}
     * @return the role
     * @throws IllegalArgumentException for another name
     */
    static Role roleOf(String name) {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "operator" -> Role.OPERATOR;
            case "maintenance" -> Role.MAINTENANCE;
            case "guard" -> Role.GUARD;
            case "supervisor" -> Role.SUPERVISOR;
            case "admin" -> Role.ADMINISTRATOR;
            case "police" -> Role.POLICE_VIEWER;
            case "customer" -> Role.CUSTOMER_VIEWER;
            default -> throw new IllegalArgumentException("role must be one of operator, maintenance, guard, "
                    + "supervisor, admin, police, customer");
        };
    }

    /**
     * @param role a role
     * @return its API name
     */
    static String nameOf(Role role) {
        return switch (role) {
            case OPERATOR -> "operator";
            case MAINTENANCE -> "maintenance";
            case GUARD -> "guard";
            case SUPERVISOR -> "supervisor";
            case ADMINISTRATOR -> "admin";
            case POLICE_VIEWER -> "police";
            case CUSTOMER_VIEWER -> "customer";
        };
    }
}
