package dev.tern.config;

import java.util.List;

/**
 * The filtering rules of {@code [[rule]]}, in file order: the first that matches decides.
 *
 * @param rules the rules; none by default, so every message gets the default policy
 */
public record RuleSettings(List<RuleDefinition> rules) {

    public RuleSettings {
        rules = List.copyOf(rules);
    }

    public static RuleSettings defaults() {
        return new RuleSettings(List.of());
    }
}
