package org.arc4j.media.clip.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An ISO BMFF box under construction (ISO/IEC 14496-12 §4.2): its payload, then its children; big-endian. Sizes are
 * computed when the box is written, so a box can be filled in any order. Not thread-safe.
 */
public final class Box {
    private final byte[] type;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private final List<Box> children = new ArrayList<>();

    /** @param type the four-character type */
    public Box(String type) {
        this(type.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** @param type the four type bytes (for QuickTime's {@code ©xyz} items) */
    public Box(byte[] type) {
        if (type.length != 4) {
            throw new IllegalArgumentException("a box type has four bytes");
        }
        this.type = type.clone();
    }

    /** @param v the low 8 bits are appended @return this */
    public Box u8(int v) {
        payload.write(v);
        return this;
    }

    /** @param v the low 16 bits are appended @return this */
    public Box u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    /** @param v the low 24 bits are appended @return this */
    public Box u24(int v) {
        return u8(v >>> 16).u16(v);
    }

    /** @param v appended @return this */
    public Box u32(int v) {
        return u16(v >>> 16).u16(v);
    }

    /** @param v appended @return this */
    public Box u64(long v) {
        return u32((int) (v >>> 32)).u32((int) v);
    }

    /** @param four four ASCII characters, appended @return this */
    public Box str(String four) {
        return bytes(four.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** @param b appended @return this */
    public Box bytes(byte[] b) {
        payload.writeBytes(b);
        return this;
    }

    /** @param n zero bytes appended @return this */
    public Box zeros(int n) {
        return bytes(new byte[n]);
    }

    /** The unity transformation matrix of {@code mvhd} and {@code tkhd}. @return this */
    public Box matrix() {
        return u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
    }

    /** @param b a child, written after the payload @return this */
    public Box child(Box b) {
        children.add(b);
        return this;
    }

    /** @return the size of the whole box in bytes */
    public int size() {
        int n = 8 + payload.size();
        for (Box c : children) {
            n += c.size();
        }
        return n;
    }

    /** @return the payload size so far (where the next appended field will be, from the end of the header) */
    public int payloadSize() {
        return payload.size();
    }

    /** @return the box, header included */
    public byte[] toBytes() {
        ByteArrayOutputStream o = new ByteArrayOutputStream(size());
        write(o);
        return o.toByteArray();
    }

    private void write(ByteArrayOutputStream o) {
        int n = size();
        o.write(n >>> 24);
        o.write(n >>> 16);
        o.write(n >>> 8);
        o.write(n);
        o.writeBytes(type);
        o.writeBytes(payload.toByteArray());
        for (Box c : children) {
            c.write(o);
        }
    }
}
