package org.arc4j.core.pipeline;

import java.util.Objects;

/**
 * Who made a case transition: every step of a case is attributed (GA 1383 服务平台: 存储处置信息). Not to be
 * confused with {@code org.arc4j.core.security.Actor}, the signed-in user and origin an audit entry names: an
 * operator's actor here carries only the user name, a rule's or a console's carries theirs.
 *
 * @param kind who it was
 * @param id   the operator's user name, the rule's name, the console's id, or {@code system}
 */
public record CaseActor(Kind kind, String id) {
    /** The kinds of actors. */
    public enum Kind {
        /** A human operator (值机员). */
        OPERATOR,
        /** A forwarding or linkage rule. */
        RULE,
        /** An operator console or another listener that displayed the case. */
        CONSOLE,
        /** The pipeline itself: intake, timers, recovery. */
        SYSTEM,
        /** A guard (现场处置员) reporting from the field. */
        GUARD,
        /** An external system: a police interface, a phone system. */
        EXTERNAL
    }

    /** The pipeline itself. */
    public static final CaseActor SYSTEM = new CaseActor(Kind.SYSTEM, "system");

    /** Validates the parts. */
    public CaseActor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    /** @param id the user name @return an operator actor */
    public static CaseActor operator(String id) {
        return new CaseActor(Kind.OPERATOR, id);
    }

    /** @param name the rule's name @return a rule actor */
    public static CaseActor rule(String name) {
        return new CaseActor(Kind.RULE, name);
    }
}
