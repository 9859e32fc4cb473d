/**
 * What the example command-line tools share on top of picocli: parser settings, one-line errors, the version
 * and the shell completion script ({@code bin/arc4j-completion}).
 */
package org.arc4j.examples.cli;
