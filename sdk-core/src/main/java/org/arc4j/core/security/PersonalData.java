package org.arc4j.core.security;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What {@link PasswordPolicy} knows about a password's owner, to reject passwords derived from it (GA 1383
 * 安全性、可靠性: "与操作人员相关的生日、电话号码等"). Every part but the user name may be null. Its {@link #toString()}
 * shows only the user name: the rest is personal information. Immutable.
 *
 * @param username the user name
 * @param fullName the full name (Latin letters, pinyin or Chinese characters), or null
 * @param birthday the date of birth, or null
 * @param phone    a phone number in any format, or null
 * @param idNumber an ID card number (e.g. the 18 characters of a resident identity card), or null
 */
public record PersonalData(String username, String fullName, LocalDate birthday, String phone, String idNumber) {
    /** Validates the user name. */
    public PersonalData {
        Objects.requireNonNull(username, "username");
    }

    /**
     * Only a user name (device credentials, or a user with no personal data on file).
     *
     * @param username the user name
     * @return the data
     */
    public static PersonalData ofUsername(String username) {
        return new PersonalData(username, null, null, null, null);
    }

    @Override
    public String toString() {
        return "PersonalData[username=" + username + ", …]";
    }
}
