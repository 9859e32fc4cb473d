package org.arc4j.examples.center.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the API handlers see it: fully read, immutable.
 *
 * @param method     the method, upper case
 * @param path       the decoded path without the query
 * @param query      query parameters
 * @param pathParams values of the route's {@code {name}} segments
 * @param headers    headers, names in lower case
 * @param body       the body bytes
 * @param remote     the client's address, for audit
 */
public record HttpRequest(String method, String path, Map<String, List<String>> query,
                          Map<String, String> pathParams, Map<String, String> headers, byte[] body, String remote) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A query parameter.
     *
     * @param name the parameter
     * @return its first value, or null
     */
    public String query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * A path parameter of the route.
     *
     * @param name the {@code {name}} of the segment
     * @return its value
     */
    public String param(String name) {
        return pathParams.get(name);
    }

    /** @return the bearer token of the Authorization header, or null */
    public String bearerToken() {
        String h = headers.get("authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return h.substring(7).trim();
    }

    /**
     * The body as a JSON object.
     *
     * @return the parsed object
     * @throws ApiException 400 if the body is not a JSON object
     */
    public JsonNode json() {
        if (body.length == 0) {
            throw ApiException.badRequest("a JSON body is required");
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        }
    }

    /**
     * The client's host without the port, for audit records and per-host login limits. {@code remote} is the
     * peer's socket address as text ({@code /127.0.0.1:54321}, or {@code /[0:0:0:0:0:0:0:1]:54321} for IPv6), so
     * the port is what follows the last colon.
     *
     * @return the host, e.g. {@code 127.0.0.1} or {@code [0:0:0:0:0:0:0:1]}
     */
    public String remoteHost() {
        String h = remote.startsWith("/") ? remote.substring(1) : remote;
        int colon = h.lastIndexOf(':');
        return colon > 0 ? h.substring(0, colon) : h;
    }

    /** @return the body as UTF-8 text */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
