package dev.tern.policy.rules;

import dev.tern.mail.IpNetwork;
import dev.tern.config.RuleDefinition;
import dev.tern.mail.Address;
import dev.tern.store.Names;
import java.util.List;
import java.util.Locale;

/**
 * One matcher of a rule: the stage from which its fact is known, and the test of that fact. Values come
 * normalized from the configuration (lower case, A-labels), so the facts are brought to the same form here.
 */
sealed interface Matcher {

    Stage stage();

    /** Whether the fact matches any of the values; a fact not known (null) matches nothing. */
    boolean test(Facts facts);

    record Client(List<IpNetwork> networks) implements Matcher {
        @Override
        public Stage stage() {
            return Stage.CONNECT;
        }

        @Override
        public boolean test(Facts facts) {
            return networks.stream().anyMatch(n -> n.contains(facts.client()));
        }
    }

    /** RFC 5321 §2.4: domain names, and so HELO names, compare without regard to case. */
    record Helo(List<String> globs) implements Matcher {
        @Override
        public Stage stage() {
            return Stage.HELO;
        }

        @Override
        public boolean test(Facts facts) {
            if (facts.helo() == null) {
                return false;
            }
            String helo = facts.helo().toLowerCase(Locale.ROOT);
            return globs.stream().anyMatch(g -> Glob.matches(g, helo));
        }
    }

    /** Known at MAIL: AUTH must come before MAIL (RFC 4954 §4). */
    record User(List<String> globs) implements Matcher {
        @Override
        public Stage stage() {
            return Stage.MAIL;
        }

        @Override
        public boolean test(Facts facts) {
            if (facts.authUser() == null) {
                return globs.contains(RuleDefinition.NOT_AUTHENTICATED);
            }
            String user = facts.authUser().toLowerCase(Locale.ROOT);
            return globs.stream().anyMatch(g -> !g.equals(RuleDefinition.NOT_AUTHENTICATED) && Glob.matches(g, user));
        }
    }

    record Sender(List<AddressPattern> patterns) implements Matcher {
        @Override
        public Stage stage() {
            return Stage.MAIL;
        }

        @Override
        public boolean test(Facts facts) {
            return AddressPattern.any(patterns, facts.sender());
        }
    }

    record Recipient(List<AddressPattern> patterns) implements Matcher {
        @Override
        public Stage stage() {
            return Stage.RCPT;
        }

        @Override
        public boolean test(Facts facts) {
            return AddressPattern.any(patterns, facts.recipient());
        }
    }

    /**
     * {@code local@domain} globs, or the null sender, matched as the directory names addresses
     * ({@link Names#localKey}, {@link Names#addressKey}): the local part unquoted, in Unicode NFC (RFC 6530 §10.1)
     * and lower case, on both sides; the domain in its lower-case A-label form, so U-label and xn-- spellings
     * agree. A tagged local part ({@code bob+x}, RFC 5233) is matched as written and also without its tag, since
     * it reaches the same mailbox: a rule on {@code bob@example.org} cannot be stepped around with a tag.
     */
    record AddressPattern(boolean nullSender, String local, String domain) {

        static AddressPattern of(String normalized) {
            if (normalized.equals(RuleDefinition.NULL_SENDER)) {
                return new AddressPattern(true, null, null);
            }
            int at = normalized.lastIndexOf('@');
            return new AddressPattern(false, Names.localKey(normalized.substring(0, at)), normalized.substring(at + 1));
        }

        static List<AddressPattern> all(List<String> normalized) {
            return normalized.stream().map(AddressPattern::of).toList();
        }

        static boolean any(List<AddressPattern> patterns, Address address) {
            return address != null && patterns.stream().anyMatch(p -> p.matches(address));
        }

        boolean matches(Address address) {
            if (address.isNull()) {
                return nullSender;
            }
            if (nullSender || !Glob.matches(domain, address.domain().key())) {
                return false;
            }
            String key = Names.localKey(address.unquotedLocalPart());
            int plus = key.indexOf('+');
            return Glob.matches(local, key) || plus > 0 && Glob.matches(local, key.substring(0, plus));
        }
    }
}
