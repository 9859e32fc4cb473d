package org.arc4j.examples.center.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Pattern;
import org.arc4j.core.customer.CustomerType;

/**
 * Checks the fields of administration requests: each refusal is a {@link FieldError} naming the field, which the
 * API answers with 400 and {@code {"error": …, "field": …}} so that a form can mark the field. Stateless.
 */
public final class AdminValidation {
    /** Identifiers of customers and sites: what a config file and a URL path can both carry. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The longest name or address accepted. */
    static final int MAX_TEXT = 200;

    private AdminValidation() {
    }

    /** A refused field: its name (as in the request's JSON) and why. */
    public static final class FieldError extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;

        /**
         * @param field   the field, as named in the request
         * @param message what is wrong, in words a user can act on
         */
        public FieldError(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }

        /** @return the refused field */
        public String field() {
            return field;
        }
    }

    /**
     * An identifier (customer, site).
     *
     * @param value the text, or null
     * @param field the field
     * @return the identifier
     * @throws FieldError if it is missing or not 1 to 64 letters, digits, dots, dashes or underscores
     */
    public static String id(String value, String field) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new FieldError(field, "must be 1 to 64 letters, digits, dots, dashes or underscores");
        }
        return value;
    }

    /**
     * A required text field of a JSON body.
     *
     * @param body  the body
     * @param field the field
     * @return its trimmed text
     * @throws FieldError if it is missing, blank, not text or longer than 200 characters
     */
    public static String required(JsonNode body, String field) {
        return required(body, field, field);
    }

    /**
     * A required text field of a nested JSON object, refused under its full name.
     *
     * @param body  the object
     * @param field the field inside it
     * @param name  its full name in the request, e.g. {@code contacts[0].name}
     * @return its trimmed text
     * @throws FieldError if it is missing, blank, not text or longer than 200 characters
     */
    public static String required(JsonNode body, String field, String name) {
        String v = optional(body, field, name);
        if (v == null) {
            throw new FieldError(name, "is required");
        }
        return v;
    }

    /**
     * An optional text field of a JSON body.
     *
     * @param body  the body
     * @param field the field
     * @return its trimmed text, or null when missing, null or blank
     * @throws FieldError if it is not text or longer than 200 characters
     */
    public static String optional(JsonNode body, String field) {
        return optional(body, field, field);
    }

    /**
     * An optional text field of a nested JSON object, refused under its full name.
     *
     * @param body  the object
     * @param field the field inside it
     * @param name  its full name in the request
     * @return its trimmed text, or null when missing, null or blank
     * @throws FieldError if it is not text or longer than 200 characters
     */
    public static String optional(JsonNode body, String field, String name) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new FieldError(name, "must be text");
        }
        String t = v.asText().strip();
        if (t.length() > MAX_TEXT) {
            throw new FieldError(name, "must be at most " + MAX_TEXT + " characters");
        }
        return t.isEmpty() ? null : t;
    }

    /**
     * An optional boolean field.
     *
     * @param body  the body
     * @param field the field
     * @param dflt  the value when it is missing
     * @return the value
     * @throws FieldError if it is present and not true or false
     */
    public static boolean bool(JsonNode body, String field, boolean dflt) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new FieldError(field, "must be true or false");
        }
        return v.asBoolean();
    }

    /**
     * A customer type by its API name.
     *
     * @param value the text, or null for {@code other}
     * @param field the field
     * @return the type
     * @throws FieldError for another name
     */
    public static CustomerType customerType(String value, String field) {
        if (value == null) {
            return CustomerType.OTHER;
        }
        try {
            return CustomerType.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FieldError(field, "must be one of financial, residential, commercial, government, "
                    + "industrial, other");
        }
    }

    /**
     * A phone number of a contact: digits, with an optional leading {@code +} and spaces or dashes between.
     *
     * @param value the text
     * @param field the field
     * @return the number
     * @throws FieldError if it is not a phone number
     */
    public static String phone(String value, String field) {
        if (value == null || !value.matches("\\+?[0-9][0-9 -]{2,30}")) {
            throw new FieldError(field, "must be a phone number (digits, optional +, spaces or dashes)");
        }
        return value;
    }

    /**
     * A zone number as panels report it.
     *
     * @param value the text
     * @param field the field
     * @return the number
     * @throws FieldError unless it is 1 to 8 letters or digits
     */
    public static String zone(String value, String field) {
        if (value == null || !value.matches("[0-9A-Za-z]{1,8}")) {
            throw new FieldError(field, "must be 1 to 8 letters or digits");
        }
        return value;
    }
}
