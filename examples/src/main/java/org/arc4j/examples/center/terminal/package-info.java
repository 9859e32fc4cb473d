/**
 * The reference centre's remote control (GA 1383 远程控制) and terminals (终端部分): commands to devices, the
 * guard's, police and customer terminals, and operators' work recordings. Their REST routes are in the
 * {@code api} package.
 */
package org.arc4j.examples.center.terminal;
