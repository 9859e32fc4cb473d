package org.arc4j.protocols.onvif.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Writes SOAP 1.2 requests for the ONVIF services: the envelope, the optional WS-Security UsernameToken header
 * (OASIS WSS UsernameToken Profile 1.0 §3.1, ONVIF Core §5.9.4) and a hand-written body. Stateless.
 */
public final class Soap {
    private Soap() {
    }

    /**
     * A WS-Security UsernameToken with PasswordDigest = Base64(SHA-1(nonce + created + password)).
     *
     * @param username the user
     * @param nonce    16 fresh random bytes
     * @param created  the creation time on the device's clock (our clock corrected by its offset)
     * @param password the password's UTF-8 bytes (not kept)
     * @return the {@code wsse:Security} header element
     */
    public static String usernameToken(String username, byte[] nonce, Instant created, byte[] password) {
        String createdText = created.truncatedTo(ChronoUnit.MILLIS).toString();
        String digest = passwordDigest(nonce, createdText, password);
        return "<wsse:Security s:mustUnderstand=\"1\" xmlns:wsse=\"" + Namespaces.WSSE + "\" xmlns:wsu=\""
                + Namespaces.WSU + "\"><wsse:UsernameToken><wsse:Username>" + escape(username)
                + "</wsse:Username><wsse:Password Type=\"" + Namespaces.PASSWORD_DIGEST + "\">" + digest
                + "</wsse:Password><wsse:Nonce EncodingType=\"" + Namespaces.BASE64_BINARY + "\">"
                + Base64.getEncoder().encodeToString(nonce) + "</wsse:Nonce><wsu:Created>" + createdText
                + "</wsu:Created></wsse:UsernameToken></wsse:Security>";
    }

    /**
     * The PasswordDigest of the UsernameToken profile.
     *
     * @param nonce    the raw nonce bytes
     * @param created  the Created text exactly as sent
     * @param password the password's UTF-8 bytes
     * @return Base64(SHA-1(nonce + created + password))
     */
    public static String passwordDigest(byte[] nonce, String created, byte[] password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(nonce);
            sha1.update(created.getBytes(StandardCharsets.UTF_8));
            sha1.update(password);
            return Base64.getEncoder().encodeToString(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    /**
     * A whole request envelope.
     *
     * @param security the {@code wsse:Security} header or null
     * @param body     the body's content, with its own namespace declarations
     * @return the envelope as UTF-8 bytes
     */
    public static byte[] envelope(String security, String body) {
        return envelope(security, null, body);
    }

    /**
     * A whole request envelope with WS-Addressing headers ({@code wsa:Action}, {@code wsa:To}), which event
     * services of several vendors require on subscription requests.
     *
     * @param security the {@code wsse:Security} header or null
     * @param action   the {@code wsa:Action} and {@code wsa:To} values as {action, to}, or null
     * @param body     the body's content
     * @return the envelope as UTF-8 bytes
     */
    public static byte[] envelope(String security, String[] action, String body) {
        StringBuilder sb = new StringBuilder(512 + body.length());
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope xmlns:s=\"").append(Namespaces.SOAP12)
                .append("\"><s:Header>");
        if (security != null) {
            sb.append(security);
        }
        if (action != null) {
            sb.append("<a:Action xmlns:a=\"").append(Namespaces.WSA).append("\" s:mustUnderstand=\"1\">")
                    .append(escape(action[0])).append("</a:Action><a:To xmlns:a=\"").append(Namespaces.WSA)
                    .append("\" s:mustUnderstand=\"1\">").append(escape(action[1])).append("</a:To>");
        }
        sb.append("</s:Header><s:Body>").append(body).append("</s:Body></s:Envelope>");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Escapes text for an XML element or attribute.
     *
     * @param s the text
     * @return the escaped text
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
