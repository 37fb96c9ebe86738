package dev.tern.config;

import dev.tern.mail.IpNetwork;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads {@code [[rule]]}, the filtering rules (docs/config-rules.md), into {@link RuleSettings}. Every value
 * is checked here, so a rule the engine receives can always be evaluated: a rule without a matcher, a reply
 * code of the wrong class or a reply text with a line break is refused with the file, key and reason.
 */
public final class RulesReader {

    static final String DEFAULT_REJECT_TEXT = "Rejected by policy";
    static final String DEFAULT_DEFER_TEXT = "Try again later";
    private static final int ABSENT = Integer.MIN_VALUE;

    private RulesReader() {
    }

    /** Reads the top-level {@code rule} array of tables; without one, {@code defaults} holds. */
    static RuleSettings read(Section top, RuleSettings defaults) throws ConfigException {
        List<Section> tables = top.tables("rule").orElse(null);
        if (tables == null) {
            return defaults;
        }
        List<RuleDefinition> rules = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < tables.size(); i++) {
            Section table = tables.get(i);
            RuleDefinition rule = rule(table, i);
            if (!rule.hasMatcher()) {
                throw top.error("rule[" + i + "]", "has no matcher (client, helo, user, sender or recipient); "
                        + "a rule that matches everything is refused");
            }
            String other = names.putIfAbsent(rule.name().toLowerCase(Locale.ROOT), table.path("name"));
            if (other != null) {
                throw table.error("name", "\"" + rule.name() + "\" is already the name of " + other);
            }
            rules.add(rule);
        }
        return new RuleSettings(rules);
    }

    /**
     * The rules of one configuration file, ignoring its other keys (which {@link ConfigLoader} checks), for
     * {@code tern check rules} before the rules are part of {@link TernConfig}.
     */
    public static RuleSettings load(Path file) throws ConfigException {
        String name = file.toString();
        return read(new Section(name, "", parse(file, name)), RuleSettings.defaults());
    }

    private static RuleDefinition rule(Section s, int index) throws ConfigException {
        String name = s.string("name", "rule-" + (index + 1));
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw s.error("name", "must be 1 to 64 letters, digits, '-', '_' or '.', got \"" + name + "\"");
        }
        List<IpNetwork> client = new ArrayList<>();
        for (String text : oneOrMany(s, "client")) {
            try {
                client.add(IpNetwork.parse(text));
            } catch (IllegalArgumentException e) {
                throw s.error("client", e.getMessage());
            }
        }
        List<String> helo = values(s, "helo", RuleValues::helo);
        List<String> user = values(s, "user", RuleValues::user);
        List<String> sender = values(s, "sender", text -> RuleValues.address(text, true));
        List<String> recipient = values(s, "recipient", text -> RuleValues.address(text, false));
        RuleDefinition.Action action = s.choice("action", null, RuleDefinition.Action.class);
        if (action == null) {
            s.refuseUnknown(); // a misspelt "action" is better named as the unknown key it is
            throw s.error("action", "is required: one of \"accept\", \"reject\", \"defer\", \"hold\"");
        }
        Reply reply = reply(s, action);
        s.refuseUnknown();
        return new RuleDefinition(name, client, helo, user, sender, recipient, action, reply.code, reply.enhanced,
                reply.text);
    }

    private record Reply(int code, String enhanced, String text) {
    }

    /** The reply of a refusal; defaults {@code 550 5.7.1} and {@code 450 4.7.1}, as Postfix's access maps use. */
    private static Reply reply(Section s, RuleDefinition.Action action) throws ConfigException {
        return switch (action) {
            case REJECT -> refusal(s, s.integer("code", 550, 500, 599), "5.7.1", DEFAULT_REJECT_TEXT);
            case DEFER -> {
                int code = s.integer("code", 450, 400, 499);
                if (code == 421) {
                    // RFC 5321 §3.8: 421 announces that the server closes the connection, which a rule does not do.
                    throw s.error("code", "must not be 421, which closes the connection; use 450 or 451");
                }
                yield refusal(s, code, "4.7.1", DEFAULT_DEFER_TEXT);
            }
            case ACCEPT, HOLD -> {
                for (String key : List.of("enhanced", "text")) {
                    if (s.string(key, null) != null) {
                        throw onlyForRefusals(s, key, action);
                    }
                }
                if (s.integer("code", ABSENT, Integer.MIN_VALUE, Integer.MAX_VALUE) != ABSENT) {
                    throw onlyForRefusals(s, "code", action);
                }
                yield new Reply(0, null, null);
            }
        };
    }

    private static Reply refusal(Section s, int code, String enhanced, String text) throws ConfigException {
        return new Reply(code, check(s, "enhanced", s.string("enhanced", enhanced), t -> RuleValues.enhanced(t, code)),
                check(s, "text", s.string("text", text), RuleValues::text));
    }

    private static ConfigException onlyForRefusals(Section s, String key, RuleDefinition.Action action) {
        return s.error(key, "applies only to \"reject\" and \"defer\", not to \""
                + action.name().toLowerCase(Locale.ROOT) + "\"");
    }

    private static List<String> values(Section s, String key, UnaryOperator<String> normal) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (String text : oneOrMany(s, key)) {
            out.add(check(s, key, text, normal));
        }
        return out;
    }

    private static String check(Section s, String key, String text, UnaryOperator<String> normal)
            throws ConfigException {
        try {
            return normal.apply(text);
        } catch (IllegalArgumentException e) {
            throw s.error(key, e.getMessage());
        }
    }

    /** A string or a non-empty array of strings; empty when the key is absent. */
    private static List<String> oneOrMany(Section s, String key) throws ConfigException {
        List<String> list;
        try {
            String one = s.string(key, null);
            return one == null ? List.of() : List.of(one);
        } catch (ConfigException notAString) {
            try {
                list = s.strings(key, List.of());
            } catch (ConfigException notAList) {
                throw s.error(key, "must be a string or an array of strings");
            }
        }
        if (list.isEmpty()) {
            throw s.error(key, "must not be an empty array; leave the key out to match anything");
        }
        return list;
    }

    /** The same reading as {@link ConfigLoader}'s: the file, whole, as a tree. */
    private static ObjectNode parse(Path file, String name) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode tree = new TomlMapper().readTree(in);
            return tree == null || tree.isMissingNode() ? new TomlMapper().createObjectNode() : (ObjectNode) tree;
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, null, "no such file");
        } catch (JacksonException e) {
            var where = e.getLocation();
            throw new ConfigException(name, null, "not valid TOML"
                    + (where == null || where.getLineNr() < 1 ? "" : " at line " + where.getLineNr() + ", column "
                    + where.getColumnNr()) + ": " + e.getOriginalMessage().lines().findFirst().orElse("syntax error"));
        } catch (IOException e) {
            throw new ConfigException(name, null, "cannot read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }
}
