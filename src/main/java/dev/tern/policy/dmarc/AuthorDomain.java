package dev.tern.policy.dmarc;

import dev.tern.mail.Domain;
import dev.tern.mail.header.AddressList;
import dev.tern.mail.header.HeaderBlock;
import dev.tern.mail.header.HeaderField;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The RFC5322.From domain DMARC evaluates (RFC 7489 §3.1, §6.6.1), taken from the header block.
 *
 * <p>Choice made under §6.6.1: a message without a From field, with several From fields (RFC 5322 §3.6 allows
 * exactly one), or whose From names no address, or addresses in more than one domain, is a
 * {@link Invalid}: DMARC reports {@code permerror}, and the decision treats it like a failure under a reject
 * policy, because a receiver that evaluated one From while the reader's program shows another would be fooled.
 * Several addresses all in one domain are evaluated against that domain, as §6.6.1 permits.
 */
public sealed interface AuthorDomain {

    /** The one author domain, as lower-case A-labels. */
    record Found(String domain) implements AuthorDomain {}

    /** No single author domain; {@code reason} says why, for the log and the Authentication-Results comment. */
    record Invalid(String reason) implements AuthorDomain {}

    static AuthorDomain of(List<HeaderField> fields) {
        List<HeaderField> from = fields.stream().filter(f -> f.isLeniently("From")).toList();
        if (from.isEmpty()) {
            return new Invalid("no From header field");
        }
        if (from.size() > 1) {
            return new Invalid(from.size() + " From header fields");
        }
        List<String> addresses = AddressList.parse(from.get(0).value()); // the one parser, shared with sendmail -t
        if (addresses.isEmpty()) {
            return new Invalid("no address in From");
        }
        Set<String> domains = new LinkedHashSet<>();
        for (String address : addresses) {
            int at = address.lastIndexOf('@');
            String domain = at < 0 ? "" : address.substring(at + 1);
            if (domain.isEmpty() || domain.startsWith("[")) {
                return new Invalid("no domain name in From address " + address);
            }
            String key = new Domain(domain).key();
            key = key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
            if (key.isEmpty()) {
                return new Invalid("no domain name in From address " + address);
            }
            domains.add(key);
        }
        if (domains.size() > 1) {
            return new Invalid("From addresses in several domains: " + String.join(", ", domains));
        }
        return new Found(domains.iterator().next());
    }

    static AuthorDomain of(byte[] message) {
        return of(HeaderBlock.parse(message, HeaderBlock.LineEnds.LF).namedFields());
    }
}
