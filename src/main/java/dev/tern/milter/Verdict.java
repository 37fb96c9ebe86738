package dev.tern.milter;

import java.util.List;

/**
 * What the milters said at one stage, as the SMTP session applies it.
 *
 * @param action what to do
 * @param code   the SMTP reply code for {@link Action#REJECT} and {@link Action#TEMPFAIL}, else 0
 * @param enhanced the RFC 3463 code, or null
 * @param lines  the reply text, one entry per line
 * @param milter the name of the milter that decided, or null for {@link Action#CONTINUE}
 */
public record Verdict(Action action, int code, String enhanced, List<String> lines, String milter) {

    public enum Action {
        /** Go on (every milter continued or accepted). */
        CONTINUE,
        /** Refuse the command (or the message) with a 5xx. */
        REJECT,
        /** Refuse it with a 4xx: try again later. */
        TEMPFAIL,
        /** Accept the message with 250 and throw it away. */
        DISCARD
    }

    public static final Verdict CONTINUE = new Verdict(Action.CONTINUE, 0, null, List.of(), null);

    public Verdict {
        lines = List.copyOf(lines);
    }

    /** Postfix's texts for a plain SMFIR_REJECT and SMFIR_TEMPFAIL. */
    static Verdict reject(String milter) {
        return new Verdict(Action.REJECT, 550, "5.7.1", List.of("Command rejected"), milter);
    }

    static Verdict tempfail(String milter) {
        return new Verdict(Action.TEMPFAIL, 451, "4.7.1", List.of("Service unavailable - try again later"), milter);
    }

    static Verdict discard(String milter) {
        return new Verdict(Action.DISCARD, 0, null, List.of(), milter);
    }

    public boolean refuses() {
        return action == Action.REJECT || action == Action.TEMPFAIL;
    }
}
