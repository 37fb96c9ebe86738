package dev.tern.policy.rules;

import dev.tern.policy.Verdict;
import java.util.Optional;

/**
 * What the rules say at one stage: nothing yet, or the action of the first matching rule with its reply
 * and its name (for the mail log).
 *
 * @param action   what to do
 * @param code     RFC 5321 reply code of a reject (5xx) or defer (4xx); 0 otherwise
 * @param enhanced RFC 3463 enhanced status code of a reject or defer; null otherwise
 * @param text     reply text of a reject or defer, checked at load to be printable ASCII; null otherwise
 * @param rule     the name of the deciding rule; null for {@link Action#NONE}
 */
public record Decision(Action action, int code, String enhanced, String text, String rule) {

    /** What the session does with a decision. */
    public enum Action {
        /** No rule decides (yet): carry on with the default policy. */
        NONE,
        /** A rule accepted: later rules no longer apply, but relay and recipient checks still do. */
        ACCEPT,
        /** Refuse with {@link #code} 5xx. */
        REJECT,
        /** Refuse with {@link #code} 4xx. */
        DEFER,
        /** Accept, and hold the message in the queue for an operator. */
        HOLD
    }

    /** No rule decides. */
    public static final Decision NONE = new Decision(Action.NONE, 0, null, null, null);

    /** Whether a rule decided. */
    public boolean matched() {
        return action != Action.NONE;
    }

    /** Whether the client must be refused (reject or defer). */
    public boolean refuses() {
        return action == Action.REJECT || action == Action.DEFER;
    }

    /** The refusal as a policy verdict, for sessions that already turn verdicts into replies. */
    public Optional<Verdict> refusal() {
        return switch (action) {
            case REJECT -> Optional.of(Verdict.permanent(code, enhanced, text));
            case DEFER -> Optional.of(Verdict.temporary(code, enhanced, text));
            default -> Optional.empty();
        };
    }

    /** The reply line of a refusal ({@code 550 5.7.1 Rejected by policy}), or null. */
    public String reply() {
        return refuses() ? code + " " + enhanced + " " + text : null;
    }

    /** The reason recorded with a held message: which rule held it. */
    public String holdReason() {
        return action == Action.HOLD ? "rule " + rule : null;
    }

    /**
     * The decision as a connection greeting: RFC 5321 §3.1 allows refusing a connection only with 554
     * instead of 220, and §3.8 / §4.2.3 make 421 the reply of a server that cannot serve now and closes.
     */
    Decision asGreeting() {
        return switch (action) {
            case REJECT -> new Decision(action, 554, enhanced, text, rule);
            case DEFER -> new Decision(action, 421, enhanced, text, rule);
            default -> this;
        };
    }
}
