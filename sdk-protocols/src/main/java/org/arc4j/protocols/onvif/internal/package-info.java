/**
 * Implementation of the ONVIF client: the lenient XML reader, SOAP writing and WS-Security, the readers of each
 * answer, the Netty HTTP transport and the lockout guard. Not exported.
 */
package org.arc4j.protocols.onvif.internal;
