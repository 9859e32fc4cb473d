package org.arc4j.core.pipeline;

/**
 * An operator action the pipeline refused; nothing about the case changed. Typed by {@link #reason()}.
 */
public final class CaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an action was refused. */
    public enum Reason {
        /** No such case (or not open any more). */
        NOT_FOUND,
        /** The action does not fit the case's state (e.g. taking a case no console has displayed). */
        ILLEGAL_STATE,
        /** The {@link CaseAuthorizer} refused. */
        DENIED,
        /** Key customers must be verified by video first (GA 1383 报警复核: 重要客户应采用视频复核方式). */
        VIDEO_REQUIRED,
        /** Drills are never forwarded to police. */
        DRILL
    }

    private final Reason reason;
    private final String caseId;

    /**
     * @param reason why
     * @param caseId the case
     * @param detail what was wrong
     */
    public CaseException(Reason reason, String caseId, String detail) {
        super(reason + " " + caseId + ": " + detail);
        this.reason = reason;
        this.caseId = caseId;
    }

    /** @return why */
    public Reason reason() {
        return reason;
    }

    /** @return the case */
    public String caseId() {
        return caseId;
    }
}
