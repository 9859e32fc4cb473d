package org.arc4j.gb28181.manscdp;

import java.util.Objects;
import java.util.Set;

/**
 * A decoded MANSCDP body (GB/T 28181 Annex A): its root ({@code Query}, {@code Control}, {@code Notify},
 * {@code Response}), command type, SN and DeviceID, the element tree, the charset it was read with and the
 * deviations tolerated. Immutable.
 *
 * @param root        the root element
 * @param cmdType     the CmdType (possibly inferred, see {@link ManscdpTolerance#CMDTYPE_INFERRED})
 * @param sn          the SN, or -1 when absent
 * @param deviceId    the DeviceID
 * @param charset     the charset the bytes were decoded with
 * @param tolerances  the deviations tolerated
 */
public record ManscdpDocument(ManscdpElement root, String cmdType, long sn, String deviceId,
                              ManscdpCharset charset, Set<ManscdpTolerance> tolerances) {
    /** Validates and copies. */
    public ManscdpDocument {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(cmdType, "cmdType");
        Objects.requireNonNull(deviceId, "deviceId");
        tolerances = Set.copyOf(tolerances);
    }

    /** @return the root element's name: Query, Control, Notify or Response */
    public String kind() {
        return root.name();
    }

    /**
     * Whether this is a given kind and command.
     *
     * @param rootName the root name
     * @param cmd      the CmdType
     * @return true when both match
     */
    public boolean is(String rootName, String cmd) {
        return root.name().equals(rootName) && cmdType.equalsIgnoreCase(cmd);
    }

    /**
     * The text of a child of the root.
     *
     * @param name the child's name
     * @return its text, or null
     */
    public String text(String name) {
        return root.childText(name);
    }
}
