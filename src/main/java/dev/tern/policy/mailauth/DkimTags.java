package dev.tern.policy.mailauth;

import dev.tern.mail.header.HeaderField;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The key record names ({@code <s>._domainkey.<d>}, RFC 6376 §3.6.2.1) the DKIM-Signature fields of a header will
 * need, read loosely from their tag lists (§3.2) so the lookups can start before verification. A field too broken
 * to name a key is skipped here; the verifier reports it.
 */
final class DkimTags {

    private DkimTags() {
    }

    static Set<String> keyNames(List<HeaderField> fields, int max) {
        Set<String> names = new LinkedHashSet<>();
        int seen = 0;
        for (HeaderField field : fields) {
            if (!field.isLeniently("DKIM-Signature") || ++seen > max) {
                continue;
            }
            String d = tag(field.value(), "d");
            String s = tag(field.value(), "s");
            if (!d.isEmpty() && !s.isEmpty()) {
                names.add(s + "._domainkey." + d);
            }
        }
        return names;
    }

    /** The value of one tag, white space removed; "" when absent. */
    static String tag(String tagList, String name) {
        for (String spec : tagList.split(";")) {
            int eq = spec.indexOf('=');
            if (eq > 0 && spec.substring(0, eq).strip().equals(name)) {
                return spec.substring(eq + 1).replaceAll("[ \t\r\n]", "");
            }
        }
        return "";
    }
}
