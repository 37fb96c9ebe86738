package dev.tern.policy.rules;

import dev.tern.config.RuleDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * One compiled rule: its matchers, the stage at which all their facts are known, and the decision it gives.
 */
record Rule(String name, List<Matcher> matchers, Stage stage, Decision decision) {

    /** How a rule stands at a stage. */
    enum Standing {
        /** Every matcher matches. */
        MATCHES,
        /** A known fact does not match: the rule cannot match in this transaction. */
        FAILS,
        /** What is known matches, but a fact of a later stage is still missing. */
        PENDING
    }

    static Rule of(RuleDefinition config) {
        List<Matcher> matchers = new ArrayList<>();
        if (!config.client().isEmpty()) {
            matchers.add(new Matcher.Client(config.client()));
        }
        if (!config.helo().isEmpty()) {
            matchers.add(new Matcher.Helo(config.helo()));
        }
        if (!config.user().isEmpty()) {
            matchers.add(new Matcher.User(config.user()));
        }
        if (!config.sender().isEmpty()) {
            matchers.add(new Matcher.Sender(Matcher.AddressPattern.all(config.sender())));
        }
        if (!config.recipient().isEmpty()) {
            matchers.add(new Matcher.Recipient(Matcher.AddressPattern.all(config.recipient())));
        }
        if (matchers.isEmpty()) {
            // The reader refuses such a rule; a rule matching everything must never slip in another way.
            throw new IllegalArgumentException("rule " + config.name() + " has no matcher");
        }
        Stage stage = matchers.stream().map(Matcher::stage).max(Enum::compareTo).orElseThrow();
        return new Rule(config.name(), List.copyOf(matchers), stage, decision(config));
    }

    private static Decision decision(RuleDefinition config) {
        return switch (config.action()) {
            case ACCEPT -> new Decision(Decision.Action.ACCEPT, 0, null, null, config.name());
            case HOLD -> new Decision(Decision.Action.HOLD, 0, null, null, config.name());
            case REJECT -> new Decision(Decision.Action.REJECT, config.code(), config.enhanced(), config.text(),
                    config.name());
            case DEFER -> new Decision(Decision.Action.DEFER, config.code(), config.enhanced(), config.text(),
                    config.name());
        };
    }

    /** Tests the matchers whose facts are known at {@code now}; the others leave the rule pending. */
    Standing standing(Stage now, Facts facts) {
        boolean later = false;
        for (Matcher matcher : matchers) {
            if (matcher.stage().compareTo(now) > 0) {
                later = true;
            } else if (!matcher.test(facts)) {
                return Standing.FAILS;
            }
        }
        return later ? Standing.PENDING : Standing.MATCHES;
    }
}
