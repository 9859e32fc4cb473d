package org.arc4j.core.store;

/**
 * Why a store operation failed: the typed failures an append's stage completes with, so that the intake can
 * refuse a message (and the adapter stay silent, making the device retry) instead of guessing from a message
 * text.
 */
public abstract class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened
     * @param cause   the underlying failure, or null
     */
    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The bounded append queue is full: the store takes no more until the disk catches up. Retry later. */
    public static final class Full extends StoreException {
        private static final long serialVersionUID = 1L;

        /** @param capacity the queue capacity that was reached */
        public Full(int capacity) {
            super("append queue full (" + capacity + " pending appends)", null);
        }
    }

    /** The store was closed before the append could be taken. */
    public static final class Closed extends StoreException {
        private static final long serialVersionUID = 1L;

        /** Creates it. */
        public Closed() {
            super("store closed", null);
        }
    }

    /**
     * Writing or forcing failed. After a failed force the state of the file is unknown, so the journal takes no
     * further appends until it is reopened (recovery then decides what is on disk).
     */
    public static final class Failed extends StoreException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what failed
         * @param cause   the I/O error
         */
        public Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A backup failed its checksum verification: it must not be restored. */
    public static final class BackupCorrupt extends StoreException {
        private static final long serialVersionUID = 1L;

        /** @param message which file and what was wrong */
        public BackupCorrupt(String message) {
            super(message, null);
        }
    }
}
