/**
 * The reference centre's REST API, one class per resource: {@link org.arc4j.examples.center.api.CenterApi} is the
 * route table (start there to find the handler of a call); {@code SessionResource} (login, logout, me),
 * {@code CaseResource} with {@code CaseActions} (the queue and the operator's steps), {@code EventResource},
 * {@code AccountResource}, {@code Gb28181Resource}, {@code DeviceResource}, {@code StatsResource} (statistics,
 * faults, satisfaction), {@code UserResource} and {@code HealthResource} hold the handlers. Every handler that
 * needs a login goes through {@code AccessGuard}; request fields are read and refused with {@code Fields}.
 *
 * <p>To add a call: add its handler to the resource it belongs to (or a new resource class taking only the parts
 * of the centre it uses), add the route in {@code CenterApi}, and document it in the README's API table. The HTTP
 * plumbing (server, router, JSON responses, errors) is in {@link org.arc4j.examples.center.http}.
 */
package org.arc4j.examples.center.api;
