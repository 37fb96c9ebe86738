package dev.tern.config;

import dev.tern.mail.IpNetwork;

import java.util.List;

/**
 * One filtering rule ({@code [[rule]]}): matchers, each optional but at least one present, and an action.
 * A matcher holds one or more values and matches when any of them does; a rule matches when all its matchers
 * do. Values are checked and normalized at load (patterns in lower case, domains in A-label form), so the
 * rule engine only compares.
 *
 * @param name      a label for the mail log, unique among the rules
 * @param client    client networks; empty when the rule does not look at the client address
 * @param helo      HELO/EHLO name globs ({@code *} matches any run of characters); empty when absent
 * @param user      authenticated user name globs, or {@link #NOT_AUTHENTICATED}; empty when absent
 * @param sender    address patterns ({@code local@domain} globs, or {@link #NULL_SENDER}); empty when absent
 * @param recipient address patterns ({@code local@domain} globs); empty when absent
 * @param action    what a match does
 * @param code      the RFC 5321 reply code for reject (5xx) and defer (4xx); 0 for accept and hold
 * @param enhanced  the RFC 3463 enhanced status code for reject and defer; null for accept and hold
 * @param text      the reply text for reject and defer; null for accept and hold
 */
public record RuleDefinition(
        String name,
        List<IpNetwork> client,
        List<String> helo,
        List<String> user,
        List<String> sender,
        List<String> recipient,
        Action action,
        int code,
        String enhanced,
        String text) {

    /** The sender pattern of the null reverse-path (RFC 5321 §4.5.5: bounces and other notifications). */
    public static final String NULL_SENDER = "<>";

    /** The user value that matches a client that has not authenticated. */
    public static final String NOT_AUTHENTICATED = "<none>";

    /** What a matching rule does. */
    public enum Action {
        /** Stop here: later rules do not apply (relay control still does). */
        ACCEPT,
        /** Refuse with a permanent (5xx) reply. */
        REJECT,
        /** Refuse with a temporary (4xx) reply; the client tries again later. */
        DEFER,
        /** Accept, but keep the message in the queue until an operator releases it. */
        HOLD
    }

    public RuleDefinition {
        client = List.copyOf(client);
        helo = List.copyOf(helo);
        user = List.copyOf(user);
        sender = List.copyOf(sender);
        recipient = List.copyOf(recipient);
    }

    /** Whether the rule looks at anything: a rule without matchers would match every message, so it is refused. */
    public boolean hasMatcher() {
        return !(client.isEmpty() && helo.isEmpty() && user.isEmpty() && sender.isEmpty() && recipient.isEmpty());
    }
}
