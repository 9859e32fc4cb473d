package org.arc4j.examples.center.http;

/**
 * An error the API reports to its client as JSON {@code {"error": message}} with an HTTP status. Messages
 * are for users: they never contain secrets.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /**
     * An error with a status.
     *
     * @param status  the HTTP status (400, 401, 403, 404, 409, 423, 429, …)
     * @param message what went wrong, in words a user can act on
     */
    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @param message what is wrong @return a 400 */
    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** @param message what is missing @return a 404 */
    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
