package org.arc4j.examples.center.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A response: status, content type and body.
 *
 * @param status      the HTTP status
 * @param contentType the content type
 * @param body        the body bytes
 * @param headers     extra headers
 */
public record HttpResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A JSON response.
     *
     * @param status the status
     * @param value  a Jackson-serialisable value (a JsonNode, a Map, a record)
     * @return the response
     */
    public static HttpResponse json(int status, Object value) {
        try {
            return new HttpResponse(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value),
                    Map.of());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A 200 JSON response.
     *
     * @param value the value
     * @return the response
     */
    public static HttpResponse ok(Object value) {
        return json(200, value);
    }

    /**
     * A JSON error {@code {"error": message, "status": status}}.
     *
     * @param status  the status
     * @param message the message
     * @return the response
     */
    public static HttpResponse error(int status, String message) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("error", message);
        n.put("status", status);
        return json(status, n);
    }

    /**
     * A response with raw bytes.
     *
     * @param status      the status
     * @param contentType the content type
     * @param body        the bytes
     * @return the response
     */
    public static HttpResponse bytes(int status, String contentType, byte[] body) {
        return new HttpResponse(status, contentType, body, Map.of());
    }

    /**
     * A plain text response.
     *
     * @param status the status
     * @param text   the text
     * @return the response
     */
    public static HttpResponse text(int status, String text) {
        return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
