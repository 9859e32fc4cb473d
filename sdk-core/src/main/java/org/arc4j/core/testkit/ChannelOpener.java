package org.arc4j.core.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the journal's files. The default is {@link FileChannel#open(Path, OpenOption...)}; tests pass one that
 * injects faults (a power loss that drops what was not forced) and integrators may wrap it, e.g. to count I/O.
 */
@FunctionalInterface
public interface ChannelOpener {
    /** The JDK's own. */
    ChannelOpener DEFAULT = FileChannel::open;

    /**
     * Opens a file.
     *
     * @param path    the file
     * @param options how
     * @return the channel
     * @throws IOException if it cannot be opened
     */
    FileChannel open(Path path, OpenOption... options) throws IOException;
}
