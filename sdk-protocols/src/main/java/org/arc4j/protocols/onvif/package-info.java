/**
 * The ONVIF client: device management, Media and Media2, PTZ, relays and digital inputs, events into alarms, and
 * WS-Discovery — what a centre needs of the IP cameras and NVRs it verifies alarms with (ONVIF Core
 * Specification, Media Service, Media2 Service, PTZ Service, DeviceIO Service; WS-Discovery 2005; OASIS WSS
 * UsernameToken Profile 1.0).
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link org.arc4j.protocols.onvif.OnvifClient}: one per application; SOAP 1.2 over HTTP/1.1 on Netty with
 *       pooled keep-alive connections per device, answers bounded to 1 MiB, HTTPS trusting the JDK trust store or
 *       a pinned certificate fingerprint.</li>
 *   <li>{@link org.arc4j.protocols.onvif.OnvifDevice}: the operations, asynchronous
 *       ({@link java.util.concurrent.CompletableFuture}), failing with the typed
 *       {@link org.arc4j.protocols.onvif.OnvifException} (SOAP faults as
 *       {@link org.arc4j.protocols.onvif.OnvifFault} with code, subcodes and reason).</li>
 *   <li>{@link org.arc4j.protocols.onvif.OnvifEvents}: one managed pull-point subscription per device whose
 *       notifications become {@link org.arc4j.core.event.AlarmEvent}s through the
 *       {@link org.arc4j.core.intake.AlarmIntake}, mapped by {@link org.arc4j.protocols.onvif.OnvifTopicMapping};
 *       every successful pull or renew is a {@link org.arc4j.core.supervision.Supervisor} check-in.</li>
 *   <li>{@link org.arc4j.protocols.onvif.OnvifNotificationListener}: the Basic Notification consumer, whose HTTP
 *       answer to a device's {@code Notify} is 200 only after the intake accepted its alarms and 503 on
 *       refusal; {@link org.arc4j.protocols.onvif.OnvifNotificationSubscription} keeps a device's subscription to it
 *       alive (renewed at 80 % of its lifetime, made again after a back-off when a renewal fails).</li>
 *   <li>{@link org.arc4j.protocols.onvif.OnvifDiscovery}: WS-Discovery Probe by multicast or unicast.</li>
 * </ul>
 *
 * <h2>Reading what cameras send</h2>
 * Requests are written by hand and answers read with the JDK's namespace-aware StAX into a small tree, matched
 * by local names: a wrong encoding declaration, a malformed XML declaration or an unbound prefix is repaired
 * (and the repair recorded), whitespace around URIs is trimmed, {@code xs:dateTime} is read in the forms devices
 * use, SOAP 1.1 and 1.2 faults are both understood. DTDs and external entities are refused.
 *
 * <h2>Authentication</h2>
 * WS-Security UsernameToken PasswordDigest with the device's clock offset (from {@code GetSystemDateAndTime}, or
 * the HTTP {@code Date} header of its refusal where a camera wants credentials for it), HTTP Digest when challenged (both at
 * once where a device wants both), HTTP Basic only where configured, and a lockout guard that stops
 * authenticated requests after two refusals in a row (see {@link org.arc4j.protocols.onvif.OnvifDevice}).
 * Logins come from the {@link org.arc4j.core.credentials.CredentialStore}
 * ({@link org.arc4j.core.credentials.CredentialKind#ONVIF_LOGIN}) and never reach a log line or an exception
 * message.
 *
 * <h2>Addresses</h2>
 * Cameras behind NAT report their private address in every URI; the
 * {@link org.arc4j.protocols.onvif.AddressPolicy} replaces it with the address the device was reached at and
 * keeps the original ({@link org.arc4j.protocols.onvif.MediaUri#reported()}).
 */
package org.arc4j.protocols.onvif;
