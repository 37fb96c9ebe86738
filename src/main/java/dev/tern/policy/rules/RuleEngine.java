package dev.tern.policy.rules;

import dev.tern.config.RuleSettings;
import java.util.List;

/**
 * The filtering rules of the configuration, asked by the SMTP session at each stage.
 *
 * <p>The first rule in file order that matches decides, exactly as if every rule were evaluated at RCPT with
 * every fact known; each stage gives that answer as soon as it is certain. At a stage, rules are taken in
 * order: a rule whose facts are all known decides if it matches; a rule that still waits for a later fact
 * (a {@code sender} rule at HELO) and has not failed on what is known stops the evaluation with
 * {@link Decision#NONE}, because it may yet match and it comes first. So a {@code client} reject placed
 * after a {@code sender} accept takes effect at MAIL, for the senders that accept does not cover.
 *
 * <p>The engine keeps no state: asking again at a later stage gives the same decision, so the session needs
 * to remember nothing but a hold. An {@code accept} only stops later rules from refusing: relay control
 * (invariant 3, {@link dev.tern.policy.RecipientPolicy}) is checked by the session separately and a rule
 * never lets a client relay.
 */
public final class RuleEngine {

    private final List<Rule> rules;

    public RuleEngine(RuleSettings settings) {
        this.rules = settings.rules().stream().map(Rule::of).toList();
    }

    /** Whether there is no rule at all (every decision is {@link Decision#NONE}). */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * At connection, before the greeting. A refusal here uses the codes a greeting allows: 554 for reject
     * (RFC 5321 §3.1) and 421 for defer, after which the session closes (§3.8).
     */
    public Decision atConnect(Facts facts) {
        return at(Stage.CONNECT, facts);
    }

    /** After HELO/EHLO; {@code facts.helo()} is the name given. */
    public Decision atHelo(Facts facts) {
        return at(Stage.HELO, facts);
    }

    /** After MAIL FROM; {@code facts.sender()} is set and {@code facts.authUser()} is the AUTH identity or null. */
    public Decision atMail(Facts facts) {
        return at(Stage.MAIL, facts);
    }

    /** After each RCPT TO, for {@code facts.recipient()}: the final answer for that recipient. */
    public Decision atRcpt(Facts facts) {
        return at(Stage.RCPT, facts);
    }

    /** The decision at {@code stage} with what {@code facts} holds. */
    public Decision at(Stage stage, Facts facts) {
        for (Rule rule : rules) {
            switch (rule.standing(stage, facts)) {
                case MATCHES -> {
                    return stage == Stage.CONNECT ? rule.decision().asGreeting() : rule.decision();
                }
                case PENDING -> {
                    return Decision.NONE;
                }
                case FAILS -> {
                    // on to the next rule
                }
            }
        }
        return Decision.NONE;
    }
}
