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

    /**
     * The append carried an {@link RecordType#IDEMPOTENCY_KEY} record whose key the store already holds: the same
     * message was accepted before, possibly by another node on the same database. Nothing of the append was
     * written; the original message's records are at the positions given, so the intake answers with the original
     * receipt. Only stores shared by several nodes detect this (the journal's single intake never appends a key
     * twice).
     */
    public static final class Duplicate extends StoreException {
        private static final long serialVersionUID = 1L;
        private final long keyPosition;
        private final long firstPosition;

        /**
         * @param keyPosition   the position of the original key record
         * @param firstPosition the position of the first record of the original append
         */
        public Duplicate(long keyPosition, long firstPosition) {
            super("idempotency key already stored at " + keyPosition, null);
            this.keyPosition = keyPosition;
            this.firstPosition = firstPosition;
        }

        /** @return the position of the original key record */
        public long keyPosition() {
            return keyPosition;
        }

        /** @return the position of the first record of the original append */
        public long firstPosition() {
            return firstPosition;
        }
    }

    /**
     * The append was made for a leader epoch that is no longer the database's: another node of the centre has
     * taken the leader lease since, and this node's writes are refused by the database itself (fencing), so a
     * deposed leader that has not yet noticed cannot acknowledge what the new leader does not know of. Nothing of
     * the append was written. Only PostgreSQL stores opened with a fence ({@code PostgresStore.fenced}) raise it.
     */
    public static final class Fenced extends StoreException {
        private static final long serialVersionUID = 1L;
        private final long epoch;
        private final long current;

        /**
         * @param epoch   the epoch the append was made in
         * @param current the epoch the database names now (0 when none)
         */
        public Fenced(long epoch, long current) {
            super("leader epoch " + epoch + " is fenced: the database's leader epoch is now " + current, null);
            this.epoch = epoch;
            this.current = current;
        }

        /** @return the epoch the append was made in */
        public long epoch() {
            return epoch;
        }

        /** @return the epoch the database named when it refused the append */
        public long current() {
            return current;
        }
    }
}
