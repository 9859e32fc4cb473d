/**
 * Customers (客户信息管理): customers with their key-customer flag (重要客户) and contract, sites with location,
 * site plan and zones, and the accounts (receiver + line + account) that report for them with their transport,
 * check-in interval and open/close schedule. {@link org.arc4j.core.customer.CustomerDirectory} keeps them and
 * writes every change to the store.
 */
package org.arc4j.core.customer;
