package org.arc4j.gb28181.manscdp;

import java.util.HexFormat;
import java.util.Locale;

/**
 * The 8-byte front-end device control code carried in {@code <PTZCmd>} (GB/T 28181-2016 Annex A.3), written as
 * 16 hex digits:
 *
 * <pre>
 * byte 1  A5h                          header
 * byte 2  version (high nibble, 0) | check nibble ((Ah + 5h + version) mod 16)
 * byte 3  address, low 8 bits
 * byte 4  instruction
 * byte 5  data 1                       (pan speed, focus speed, cruise group, aux number…)
 * byte 6  data 2                       (tilt speed, iris speed, preset number…)
 * byte 7  data 3 (high nibble, zoom speed) | address high 4 bits (low nibble)
 * byte 8  checksum = (byte 1 + … + byte 7) mod 256
 * </pre>
 *
 * <p>Instruction byte: PTZ {@code 00xx xxxx} with bit 5 zoom out, 4 zoom in, 3 up, 2 down, 1 left, 0 right;
 * focus/iris {@code 0100 xxxx} with bit 3 iris close, 2 iris open, 1 focus near, 0 focus far; presets
 * {@code 81h} set, {@code 82h} call, {@code 83h} delete; cruise {@code 84h}–{@code 88h}; scan {@code 89h},
 * {@code 8Ah}; auxiliary switch {@code 8Ch} on, {@code 8Dh} off. All zero data with instruction 0 is stop.
 *
 * <p>Immutable. Factories build valid codes; {@link #decode} checks header, check nibble and checksum and never
 * throws.
 *
 * @param address     the device address, 0–4095
 * @param instruction the instruction byte
 * @param data1       data 1, 0–255
 * @param data2       data 2, 0–255
 * @param data3       data 3, 0–15
 */
public record PtzCmd(int address, int instruction, int data1, int data2, int data3) {
    private static final int VERSION = 0;

    /** What an instruction does. */
    public enum Kind {
        /** Stop all motion (instruction 0). */
        STOP,
        /** Pan, tilt and zoom. */
        PTZ,
        /** Focus and iris. */
        FOCUS_IRIS,
        /** Preset set, call or delete. */
        PRESET,
        /** Cruise: add or delete a point, set speed or dwell, start. */
        CRUISE,
        /** Automatic scan: start or set boundaries, speed. */
        SCAN,
        /** Auxiliary switch on or off (wiper, light). */
        AUX,
        /** An instruction the standard does not define. */
        UNKNOWN
    }

    /** Validates ranges. */
    public PtzCmd {
        if (address < 0 || address > 0xFFF || instruction < 0 || instruction > 0xFF || data1 < 0 || data1 > 0xFF
                || data2 < 0 || data2 > 0xFF || data3 < 0 || data3 > 0xF) {
            throw new IllegalArgumentException("PTZCmd field out of range");
        }
    }

    /**
     * Pan/tilt/zoom motion; several directions may combine. Speeds 0–255 (zoom 0–15).
     *
     * @param left      move left
     * @param right     move right
     * @param up        move up
     * @param down      move down
     * @param zoomIn    zoom in (tele)
     * @param zoomOut   zoom out (wide)
     * @param panSpeed  pan speed 0–255
     * @param tiltSpeed tilt speed 0–255
     * @param zoomSpeed zoom speed 0–15
     * @return the code, address 1
     */
    public static PtzCmd ptz(boolean left, boolean right, boolean up, boolean down, boolean zoomIn,
                             boolean zoomOut, int panSpeed, int tiltSpeed, int zoomSpeed) {
        int i = (zoomOut ? 0x20 : 0) | (zoomIn ? 0x10 : 0) | (up ? 0x08 : 0) | (down ? 0x04 : 0) | (left ? 0x02 : 0)
                | (right ? 0x01 : 0);
        return new PtzCmd(1, i, panSpeed, tiltSpeed, zoomSpeed);
    }

    /** @return stop, address 1 ({@code A50F0100000000B5}) */
    public static PtzCmd stop() {
        return new PtzCmd(1, 0, 0, 0, 0);
    }

    /**
     * Focus and iris.
     *
     * @param irisClose  close the iris
     * @param irisOpen   open the iris
     * @param focusNear  focus near
     * @param focusFar   focus far
     * @param focusSpeed 0–255
     * @param irisSpeed  0–255
     * @return the code
     */
    public static PtzCmd focusIris(boolean irisClose, boolean irisOpen, boolean focusNear, boolean focusFar,
                                   int focusSpeed, int irisSpeed) {
        int i = 0x40 | (irisClose ? 0x08 : 0) | (irisOpen ? 0x04 : 0) | (focusNear ? 0x02 : 0) | (focusFar ? 0x01 : 0);
        return new PtzCmd(1, i, focusSpeed, irisSpeed, 0);
    }

    /** @param preset 1–255 @return set preset */
    public static PtzCmd setPreset(int preset) {
        return new PtzCmd(1, 0x81, 0, preset, 0);
    }

    /** @param preset 1–255 @return call preset */
    public static PtzCmd callPreset(int preset) {
        return new PtzCmd(1, 0x82, 0, preset, 0);
    }

    /** @param preset 1–255 @return delete preset */
    public static PtzCmd deletePreset(int preset) {
        return new PtzCmd(1, 0x83, 0, preset, 0);
    }

    /** @param group cruise group @param preset preset @return add a cruise point */
    public static PtzCmd cruiseAdd(int group, int preset) {
        return new PtzCmd(1, 0x84, group, preset, 0);
    }

    /** @param group cruise group @param preset preset, 0 deletes the group @return delete a cruise point */
    public static PtzCmd cruiseDelete(int group, int preset) {
        return new PtzCmd(1, 0x85, group, preset, 0);
    }

    /** @param group cruise group @param speed 0–4095 @return set the cruise speed */
    public static PtzCmd cruiseSpeed(int group, int speed) {
        return new PtzCmd(1, 0x86, group, speed & 0xFF, (speed >> 8) & 0xF);
    }

    /** @param group cruise group @param seconds dwell 0–4095 s @return set the dwell time */
    public static PtzCmd cruiseDwell(int group, int seconds) {
        return new PtzCmd(1, 0x87, group, seconds & 0xFF, (seconds >> 8) & 0xF);
    }

    /** @param group cruise group @return start the cruise */
    public static PtzCmd cruiseStart(int group) {
        return new PtzCmd(1, 0x88, group, 0, 0);
    }

    /**
     * Automatic scan.
     *
     * @param group scan group
     * @param op    0 start, 1 set left boundary, 2 set right boundary
     * @return the code
     */
    public static PtzCmd scan(int group, int op) {
        return new PtzCmd(1, 0x89, group, op, 0);
    }

    /** @param group scan group @param speed 0–4095 @return set the scan speed */
    public static PtzCmd scanSpeed(int group, int speed) {
        return new PtzCmd(1, 0x8A, group, speed & 0xFF, (speed >> 8) & 0xF);
    }

    /** @param aux auxiliary switch number @param on on or off @return the code */
    public static PtzCmd aux(int aux, boolean on) {
        return new PtzCmd(1, on ? 0x8C : 0x8D, aux, 0, 0);
    }

    /**
     * A copy with another device address.
     *
     * @param newAddress 0–4095
     * @return the copy
     */
    public PtzCmd withAddress(int newAddress) {
        return new PtzCmd(newAddress, instruction, data1, data2, data3);
    }

    /** @return what the instruction does */
    public Kind kind() {
        if (instruction == 0 && data1 == 0 && data2 == 0 && data3 == 0) {
            return Kind.STOP;
        }
        if ((instruction & 0xC0) == 0) {
            return Kind.PTZ;
        }
        if ((instruction & 0xF0) == 0x40) {
            return Kind.FOCUS_IRIS;
        }
        return switch (instruction) {
            case 0x81, 0x82, 0x83 -> Kind.PRESET;
            case 0x84, 0x85, 0x86, 0x87, 0x88 -> Kind.CRUISE;
            case 0x89, 0x8A -> Kind.SCAN;
            case 0x8C, 0x8D -> Kind.AUX;
            default -> Kind.UNKNOWN;
        };
    }

    /** @return the 8 bytes */
    public byte[] toBytes() {
        byte[] b = new byte[8];
        b[0] = (byte) 0xA5;
        b[1] = (byte) ((VERSION << 4) | ((0xA + 0x5 + VERSION) & 0xF));
        b[2] = (byte) (address & 0xFF);
        b[3] = (byte) instruction;
        b[4] = (byte) data1;
        b[5] = (byte) data2;
        b[6] = (byte) ((data3 << 4) | ((address >> 8) & 0xF));
        int sum = 0;
        for (int i = 0; i < 7; i++) {
            sum += b[i] & 0xFF;
        }
        b[7] = (byte) sum;
        return b;
    }

    /** @return the 16 upper-case hex digits, e.g. {@code A50F01011F1F00F4} */
    public String toHex() {
        return HexFormat.of().withUpperCase().formatHex(toBytes());
    }

    /** The outcome of {@link #decode}. */
    public sealed interface Decoded permits Valid, Invalid {
    }

    /**
     * A valid code.
     *
     * @param cmd the command
     */
    public record Valid(PtzCmd cmd) implements Decoded {
    }

    /**
     * A refused code.
     *
     * @param reason what was wrong
     */
    public record Invalid(String reason) implements Decoded {
    }

    /**
     * Decodes 16 hex digits.
     *
     * @param hex the PTZCmd text
     * @return the command, or why it is refused (length, hex, header, check nibble, checksum)
     */
    public static Decoded decode(String hex) {
        String h = hex == null ? "" : hex.trim();
        if (h.length() != 16) {
            return new Invalid("length " + h.length() + ", expected 16 hex digits");
        }
        for (int i = 0; i < 16; i++) {
            if (Character.digit(h.charAt(i), 16) < 0) {
                return new Invalid("not hex at " + i);
            }
        }
        byte[] b = HexFormat.of().parseHex(h.toLowerCase(Locale.ROOT));
        if ((b[0] & 0xFF) != 0xA5) {
            return new Invalid("header " + String.format("%02X", b[0] & 0xFF) + ", expected A5");
        }
        int version = (b[1] >> 4) & 0xF;
        if ((b[1] & 0xF) != ((0xA + 0x5 + version) & 0xF)) {
            return new Invalid("check nibble " + (b[1] & 0xF));
        }
        int sum = 0;
        for (int i = 0; i < 7; i++) {
            sum += b[i] & 0xFF;
        }
        if ((sum & 0xFF) != (b[7] & 0xFF)) {
            return new Invalid(String.format("checksum %02X, expected %02X", b[7] & 0xFF, sum & 0xFF));
        }
        int address = (b[2] & 0xFF) | ((b[6] & 0xF) << 8);
        return new Valid(new PtzCmd(address, b[3] & 0xFF, b[4] & 0xFF, b[5] & 0xFF, (b[6] >> 4) & 0xF));
    }

    @Override
    public String toString() {
        return "PtzCmd[" + toHex() + " " + kind() + "]";
    }
}
