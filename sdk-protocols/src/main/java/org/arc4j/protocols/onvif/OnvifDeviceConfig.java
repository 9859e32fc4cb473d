package org.arc4j.protocols.onvif;

import java.net.URI;
import java.util.Objects;

/**
 * How to reach and authenticate one camera or NVR. Immutable; change with the {@code with…} methods.
 *
 * <p>The password is not here: it is looked up in the {@link org.arc4j.core.credentials.CredentialStore} under
 * ({@link org.arc4j.core.credentials.CredentialKind#ONVIF_LOGIN}, {@link #credentialScope()}) for every request,
 * so a changed password is used at once and never kept by the client.
 *
 * @param address                 the device service address, e.g. {@code http://10.0.0.5/onvif/device_service}
 * @param credentialScope         the credential store scope of its login
 * @param wsSecurity              send a WS-Security UsernameToken (ONVIF Core §5.9.4; default true)
 * @param basicAuth               answer with HTTP Basic (only for cameras configured so; default false: HTTP
 *                                Digest when challenged)
 * @param pinnedCertificateSha256 for HTTPS, the SHA-256 fingerprint (hex) of the only certificate trusted; null
 *                                for the JDK trust store with host name verification
 * @param addressPolicy           what to do with private hosts in returned URIs
 * @param endpointReference       the device's stable identity (its WS-Discovery endpoint reference, or any
 *                                id), used in idempotency keys and supervision; defaults to the address
 */
public record OnvifDeviceConfig(URI address, String credentialScope, boolean wsSecurity, boolean basicAuth,
                                String pinnedCertificateSha256, AddressPolicy addressPolicy,
                                String endpointReference) {
    /** Validates the parts. */
    public OnvifDeviceConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(credentialScope, "credentialScope");
        Objects.requireNonNull(addressPolicy, "addressPolicy");
        if (address.getHost() == null || address.getScheme() == null) {
            throw new IllegalArgumentException("device address needs a scheme and host: " + address);
        }
        endpointReference = endpointReference == null ? address.toString() : endpointReference;
    }

    /**
     * The usual configuration: WS-Security plus HTTP Digest when challenged, private hosts rewritten.
     *
     * @param address         the device service address
     * @param credentialScope the login's scope in the credential store
     * @return the configuration
     */
    public static OnvifDeviceConfig of(URI address, String credentialScope) {
        return new OnvifDeviceConfig(address, credentialScope, true, false, null, AddressPolicy.REWRITE_PRIVATE, null);
    }

    /**
     * @param on whether to send WS-Security
     * @return a copy
     */
    public OnvifDeviceConfig withWsSecurity(boolean on) {
        return new OnvifDeviceConfig(address, credentialScope, on, basicAuth, pinnedCertificateSha256, addressPolicy,
                endpointReference);
    }

    /**
     * @param on whether to send HTTP Basic
     * @return a copy
     */
    public OnvifDeviceConfig withBasicAuth(boolean on) {
        return new OnvifDeviceConfig(address, credentialScope, wsSecurity, on, pinnedCertificateSha256, addressPolicy,
                endpointReference);
    }

    /**
     * @param sha256Hex the pinned certificate fingerprint, or null
     * @return a copy
     */
    public OnvifDeviceConfig withPinnedCertificate(String sha256Hex) {
        return new OnvifDeviceConfig(address, credentialScope, wsSecurity, basicAuth, sha256Hex, addressPolicy,
                endpointReference);
    }

    /**
     * @param policy the address policy
     * @return a copy
     */
    public OnvifDeviceConfig withAddressPolicy(AddressPolicy policy) {
        return new OnvifDeviceConfig(address, credentialScope, wsSecurity, basicAuth, pinnedCertificateSha256, policy,
                endpointReference);
    }

    /**
     * @param epr the endpoint reference
     * @return a copy
     */
    public OnvifDeviceConfig withEndpointReference(String epr) {
        return new OnvifDeviceConfig(address, credentialScope, wsSecurity, basicAuth, pinnedCertificateSha256,
                addressPolicy, epr);
    }
}
