package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.arc4j.core.security.PasswordCheck;
import org.arc4j.core.security.PasswordViolation;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;

/**
 * Reads the fields of API requests and words their 400s, so that every resource refuses a bad field the same way.
 * Stateless.
 */
final class Fields {
    private Fields() {
    }

    /**
     * A text field of a JSON body.
     *
     * @param body  the body
     * @param field the field
     * @return its text, or null when it is missing, null or blank
     */
    static String text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        return v.isMissingNode() || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    /**
     * An instant field of a JSON body.
     *
     * @param body  the body
     * @param field the field, present
     * @return the instant
     * @throws ApiException 400 if it is not an ISO-8601 instant
     */
    static Instant instant(JsonNode body, String field) {
        try {
            return Instant.parse(body.path(field).asText());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + " must be an instant such as 2026-01-31T08:00:00Z");
        }
    }

    /**
     * A date or instant query parameter; a bare date means its midnight UTC.
     *
     * @param r     the request
     * @param name  the parameter
     * @param dflt  the value when it is absent or blank
     * @return the instant
     * @throws ApiException 400 if it is neither a date nor an instant
     */
    static Instant queryInstant(HttpRequest r, String name, Instant dflt) {
        String v = r.query(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return v.length() == 10 ? Instant.parse(v + "T00:00:00Z") : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be a date (2026-01-31) or an instant (2026-01-31T00:00:00Z)");
        }
    }

    /**
     * An enum constant by its API spelling: case-insensitive, dashes for underscores ({@code equipment-fault}).
     *
     * @param type  the enum
     * @param value the text
     * @param field the field, for the message
     * @param <E>   the enum type
     * @return the constant
     * @throws ApiException 400 listing the accepted spellings
     */
    static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E x : type.getEnumConstants()) {
                names.add(x.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw ApiException.badRequest(field + " must be one of " + String.join(", ", names));
        }
    }

    /**
     * The rules a refused password or key broke, for the 400's message.
     *
     * @param check the policy's verdict
     * @return e.g. {@code MIN_LENGTH (at least 12 characters)}, several joined by {@code ; }
     */
    static String brokenRules(PasswordCheck check) {
        List<String> out = new ArrayList<>();
        for (PasswordViolation v : check.violations()) {
            out.add(v.rule().name() + " (" + v.explanation() + ")");
        }
        return String.join("; ", out);
    }

    /**
     * A {@code limit} query parameter.
     *
     * @param r    the request
     * @param dflt the value when it is absent
     * @param max  the largest allowed
     * @return the limit
     * @throws ApiException 400 unless it is a number from 1 to {@code max}
     */
    static int queryLimit(HttpRequest r, int dflt, int max) {
        String v = r.query("limit");
        if (v == null) {
            return dflt;
        }
        int limit;
        try {
            limit = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > max) {
            throw ApiException.badRequest("limit must be a number from 1 to " + max);
        }
        return limit;
    }
}
