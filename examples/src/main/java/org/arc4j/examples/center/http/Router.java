package org.arc4j.examples.center.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a method and a path pattern such as {@code /api/cases/{id}/actions} to a handler. Routes are
 * matched in the order added. Thread-safe once built (routes are added before the server starts).
 */
public final class Router {
    /** Handles one request; may block (it runs on a worker thread, never on the event loop). */
    @FunctionalInterface
    public interface Handler {
        /**
         * Handles a request.
         *
         * @param request the request
         * @return the response
         * @throws Exception any failure; {@link ApiException} becomes its status, others a 500
         */
        HttpResponse handle(HttpRequest request) throws Exception;
    }

    private record Route(String method, String[] segments, Handler handler) {
    }

    /** A match: the handler and the path parameters. */
    record Match(Handler handler, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** An empty router. */
    public Router() {
    }

    /**
     * Adds a route.
     *
     * @param method  the HTTP method
     * @param pattern the path pattern, {@code {name}} for a parameter segment
     * @param handler the handler
     * @return this
     */
    public Router add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, split(pattern), handler));
        return this;
    }

    /** @param pattern the path @param h the handler @return this */
    public Router get(String pattern, Handler h) {
        return add("GET", pattern, h);
    }

    /** @param pattern the path @param h the handler @return this */
    public Router post(String pattern, Handler h) {
        return add("POST", pattern, h);
    }

    /** @param pattern the path @param h the handler @return this */
    public Router put(String pattern, Handler h) {
        return add("PUT", pattern, h);
    }

    /**
     * Wraps the handler of a route added before (for example to record who looked at what).
     *
     * @param method  the HTTP method
     * @param pattern the route's pattern, exactly as added
     * @param wrapper makes the new handler from the old one
     * @return this
     * @throws IllegalArgumentException if no such route was added
     */
    public Router wrap(String method, String pattern, java.util.function.UnaryOperator<Handler> wrapper) {
        String[] segs = split(pattern);
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            if (r.method.equals(method) && java.util.Arrays.equals(r.segments, segs)) {
                routes.set(i, new Route(method, segs, wrapper.apply(r.handler)));
                return this;
            }
        }
        throw new IllegalArgumentException("no route " + method + " " + pattern);
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    /**
     * Finds the route for a request.
     *
     * @param method the method
     * @param path   the path
     * @return the match, or null; {@code methodNotAllowed} is reported through a match with a null handler
     */
    Match match(String method, String path) {
        String[] segs = split(path);
        boolean pathKnown = false;
        for (Route r : routes) {
            Map<String, String> params = matchSegments(r.segments, segs);
            if (params == null) {
                continue;
            }
            pathKnown = true;
            if (r.method.equals(method)) {
                return new Match(r.handler, params);
            }
        }
        return pathKnown ? new Match(null, Map.of()) : null;
    }

    private static Map<String, String> matchSegments(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), path[i]);
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params;
    }
}
