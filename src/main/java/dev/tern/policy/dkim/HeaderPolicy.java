package dev.tern.policy.dkim;

import dev.tern.mail.header.HeaderField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which header fields a new signature lists in {@code h=}, in order, given the message's fields. */
@FunctionalInterface
public interface HeaderPolicy {

    List<String> signedNames(List<HeaderField> fields);

    /**
     * The fields RFC 6376 §5.4.1 recommends signing, plus the MIME and list fields that change how a message is
     * shown or answered (RFC 2369, RFC 8058). Each present one is listed once per instance; those of
     * {@link #OVERSIGNED} once more, even when absent, so that a field added later breaks the signature (§8.15).
     */
    List<String> RECOMMENDED = List.of("from", "sender", "reply-to", "subject", "date", "to", "cc", "message-id",
            "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding", "content-id",
            "content-description", "resent-date", "resent-from", "resent-sender", "resent-to", "resent-cc",
            "resent-message-id", "list-id", "list-help", "list-unsubscribe", "list-unsubscribe-post",
            "list-subscribe", "list-post", "list-owner", "list-archive");

    /** Fields a recipient relies on, signed once more than present against header injection. */
    Set<String> OVERSIGNED = Set.of("from", "subject", "date", "to", "cc", "message-id");

    static HeaderPolicy recommended() {
        return fields -> {
            List<String> names = new ArrayList<>();
            for (String name : RECOMMENDED) {
                long present = fields.stream().filter(f -> f.is(name)).count();
                long times = present + (OVERSIGNED.contains(name) ? 1 : 0);
                for (long i = 0; i < times; i++) {
                    names.add(name);
                }
            }
            return names;
        };
    }

    /** Exactly these names, whatever the message holds (to reproduce a given signature). */
    static HeaderPolicy exactly(List<String> names) {
        List<String> copy = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        if (!copy.contains("from")) {
            throw new IllegalArgumentException("a DKIM signature must sign From (RFC 6376 §5.4)");
        }
        return fields -> copy;
    }
}
