/**
 * The reference centre's administration (GA 1383 系统管理, 数据维护, 服务质量): configuration changes kept as records
 * in the centre's store ({@link org.arc4j.examples.center.admin.AdminStore}), their validation
 * ({@link org.arc4j.examples.center.admin.AdminValidation}), closed cases read back from the store
 * ({@link org.arc4j.examples.center.admin.CaseHistory}), the GA 1383 compliance report
 * ({@link org.arc4j.examples.center.admin.ComplianceReport}), its CSV and PDF forms
 * ({@link org.arc4j.examples.center.admin.Reports}) and backups of the journal
 * ({@link org.arc4j.examples.center.admin.Maintenance}). The REST resources over them are in
 * {@code org.arc4j.examples.center.api}.
 */
package org.arc4j.examples.center.admin;
