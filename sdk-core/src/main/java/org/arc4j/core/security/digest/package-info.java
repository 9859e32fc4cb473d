/**
 * HTTP digest authentication (RFC 2617, RFC 7616), wire-neutral: the one implementation that SIP (GB/T 28181
 * registration), RTSP (camera streams) and HTTP (ONVIF) use. {@link org.arc4j.core.security.digest.DigestAuthenticator}
 * is the server side (challenges, verification, nonce expiry and replay), {@link
 * org.arc4j.core.security.digest.DigestClient} the client side (answers with nonce counts), and {@link
 * org.arc4j.core.security.digest.Digest} the hash computation both use. MD5 and SHA-256.
 */
package org.arc4j.core.security.digest;
