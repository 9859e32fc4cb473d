/**
 * Security of a centre, after GA 1383-2017 安全性、可靠性 (device authentication, access control, no weak passwords or
 * keys, user name and password different, periodic change) and 保密安全 (customer, alarm and video information seen
 * only by those entitled to it).
 *
 * <ul>
 *   <li>Access: {@link org.arc4j.core.security.Role}, {@link org.arc4j.core.security.Permission},
 *       {@link org.arc4j.core.security.Scope}, {@link org.arc4j.core.security.Resource} and the one call
 *       {@link org.arc4j.core.security.AccessControl#check}, audited through
 *       {@link org.arc4j.core.security.AuditedAccess#authorize}.</li>
 *   <li>Passwords: {@link org.arc4j.core.security.PasswordPolicy} (each rejection names a
 *       {@link org.arc4j.core.security.PasswordRule}), Argon2id {@link org.arc4j.core.security.PasswordHasher},
 *       {@link org.arc4j.core.security.Lockout} with back-off.</li>
 *   <li>Operators: {@link org.arc4j.core.security.UserDirectory} (accounts, login, password changes) and
 *       {@link org.arc4j.core.security.SessionManager} (short-lived, hashed, revocable tokens).</li>
 *   <li>Device credentials: {@link org.arc4j.core.security.CredentialVault}, the encrypted
 *       {@link org.arc4j.core.credentials.CredentialStore}, under a
 *       {@link org.arc4j.core.security.KeyEncryptionKey} kept outside the data directory; changes go through
 *       {@link org.arc4j.core.security.DeviceCredentials}, which refuses weak keys unless explicitly overridden.</li>
 *   <li>Audit: {@link org.arc4j.core.security.AuditLog}, {@code AUDIT} records in the centre's
 *       {@link org.arc4j.core.store.RecordStore}, queried with {@link org.arc4j.core.security.AuditQuery}.</li>
 * </ul>
 */
package org.arc4j.core.security;
