package org.arc4j.core.security;

/**
 * The rules of {@link PasswordPolicy}, each named in a rejection (GA 1383 安全性、可靠性 and its note on weak
 * passwords: "设备出厂默认的密钥或编码、顺序升序或降序的数字、相邻相同数字使用两次以上，或与操作人员相关的生日、电话号码等").
 */
public enum PasswordRule {
    /** Shorter than the minimum length. */
    MIN_LENGTH,
    /** Too few character classes (lower case, upper case, digits, others). */
    CHARACTER_MIX,
    /** Equal to the user name, or containing it (either direction). */
    SAME_AS_USERNAME,
    /** A factory-default password or code of a panel, camera, NVR or DVR. */
    FACTORY_DEFAULT,
    /** A run of ascending or descending digits or letters ({@code 1234}, {@code 9876}, {@code abcd}). */
    SEQUENCE,
    /** The same character more than twice in a row ({@code 111}, {@code aaa}). */
    REPEATED_CHARACTERS,
    /** A walk over adjacent keyboard keys ({@code qwerty}, {@code 1qaz2wsx}, {@code asdf}). */
    KEYBOARD_WALK,
    /** One of the most common leaked passwords, possibly with digits or symbols around it. */
    COMMON_PASSWORD,
    /** Derived from the owner's data: birthday in a common date form, phone number, ID number, name. */
    PERSONAL_DATA,
    /** One of the user's recent passwords. */
    REUSED,
    /** A device key whose bytes are all zero. */
    ALL_ZERO_KEY,
    /** A device key whose bytes count up or down ({@code 00 01 02 …}). */
    SEQUENTIAL_KEY,
    /** A device key made of one short pattern repeated ({@code FF FF …}, {@code 12 34 12 34 …}). */
    REPEATED_PATTERN_KEY
}
