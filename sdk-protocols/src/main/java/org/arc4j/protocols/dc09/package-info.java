/**
 * SIA DC-09 (ANSI/SIA DC-09-2013 and -2021): the IP path of alarm panels, over TCP and UDP, plain and
 * AES-encrypted — frame codec ({@link org.arc4j.protocols.dc09.Dc09Decoder},
 * {@link org.arc4j.protocols.dc09.Dc09Encoder}, {@link org.arc4j.protocols.dc09.Dc09Frame}), SIA DC-03/DC-04
 * and Contact ID data ({@link org.arc4j.protocols.dc09.Dc09DataParser}), the
 * {@link org.arc4j.protocols.dc09.Dc09Receiver} and the {@link org.arc4j.protocols.dc09.Dc09Transmitter}.
 *
 * <h2>What gets which answer</h2>
 * The receiver answers every frame by this table (DC-09 acknowledgement messages), in the sender's own CRC style
 * ({@link org.arc4j.protocols.dc09.Dc09CrcStyle}); a reply to an encrypted frame is encrypted whenever the
 * receiver holds a usable key for it.
 * <table>
 *   <caption>Receiver answers</caption>
 *   <tr><th>situation</th><th>answer</th><th>counter {@code dc09.frames} outcome / reason</th></tr>
 *   <tr><td>valid report accepted by the intake (also an unknown event code, also a retransmission the intake
 *       recognises as duplicate)</td>
 *       <td>{@code ACK} (or {@code *ACK}) echoing sequence, receiver, line and account exactly as received; an
 *       absent {@code R} stays absent; written only after the receipt completed</td>
 *       <td>{@code ack} / {@code accepted}, {@code duplicate}</td></tr>
 *   <tr><td>{@code NULL} poll (or a report with empty data): a supervisor check-in, no event</td>
 *       <td>{@code ACK} at once</td><td>{@code ack} / {@code link-test}</td></tr>
 *   <tr><td>timestamp outside the window (default 40 s behind to 20 s ahead of the receiver's clock)</td>
 *       <td>{@code "NAK"0000R0L0A0[]_<receiver UTC time>}, the standard's fixed form, so the panel can set its
 *       clock</td><td>{@code nak} / {@code timestamp}</td></tr>
 *   <tr><td>encrypted, but no key for the account, a weak key without override, ciphertext that does not
 *       decrypt to a valid block, or no timestamp</td>
 *       <td>{@code NAK} as above, and a communication event ({@code ARC4J} code {@code DC09_<error>}) to the
 *       intake for the operators</td>
 *       <td>{@code nak} / {@code no-key}, {@code weak-key}, {@code decrypt-failed}, {@code missing-timestamp}</td></tr>
 *   <tr><td>valid frame whose header or data block cannot be understood (unknown token, malformed field,
 *       data not in the DC-03/DC-04 or Contact ID grammar, a reply token sent to the receiver); also a
 *       refused {@code [K…]} key change, whose events are still stored first</td>
 *       <td>{@code DUH}</td><td>{@code duh} / the error, {@code data}, {@code not-a-report},
 *       {@code key-change-refused}</td></tr>
 *   <tr><td>bad CRC or length (no tolerated variant matches), truncated, oversized, no frame start</td>
 *       <td>no reply (the panel resends); {@code NAK} if configured with
 *       {@link org.arc4j.protocols.dc09.Dc09Receiver.Builder#nakOnBadFrame(boolean)}</td>
 *       <td>{@code silent} / {@code bad-crc}, {@code bad-length}, …</td></tr>
 *   <tr><td>intake refused (backpressure, closed) or failed</td>
 *       <td>no reply, so the panel retries rather than loses</td>
 *       <td>{@code silent} / {@code refused-backpressure}, {@code intake-failed}, …</td></tr>
 * </table>
 *
 * <h2>Time</h2>
 * An event's device time ({@code triggeredAt}) is its {@code [H…]} extended data when present and readable,
 * else the header timestamp; its {@code clockSkew} is the header timestamp minus the receive time on the
 * receiver's {@link org.arc4j.core.time.Scheduler} clock, so the GA 1383 response budget (报警响应, ≤ 4 s over
 * IP) is measured from the corrected trigger time.
 */
package org.arc4j.protocols.dc09;
