package dev.tern.sts;

import dev.tern.dns.DnsResult;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts} TXT record of a policy domain (RFC 8461 §3.1): {@code v=STSv1; id=20240101T000000;}.
 * Records that do not begin with {@code v=STSv1} are not about MTA-STS and are set aside; if not exactly one is
 * left, or it breaks the grammar, the domain has no available policy.
 */
final class StsRecord {

    /** What the TXT lookup says. */
    sealed interface Outcome {
    }

    /** One valid record: the policy's current {@code id}. */
    record Id(String id) implements Outcome {
    }

    /** No usable record; {@code problem} is null when there is simply none, else why the records are unusable. */
    record Absent(String problem) implements Outcome {
    }

    /** DNS could not answer now (SERVFAIL, timeout): nothing is known. */
    record Unknown(String reason) implements Outcome {
    }

    private static final String VERSION = "v=STSv1";
    /** {@code sts-id}: 1 to 32 letters and digits. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    /** {@code sts-extension}: a name of up to 32 characters, {@code =}, and visible characters but {@code ;} and {@code =}. */
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}=[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

    private StsRecord() {
    }

    static Outcome of(DnsResult<String> txt) {
        if (txt instanceof DnsResult.Temporary<String> t) {
            return new Unknown(t.reason());
        }
        List<String> records = txt.records().stream().filter(StsRecord::announcesVersion).toList();
        if (records.isEmpty()) {
            return new Absent(null);
        }
        if (records.size() > 1) {
            return new Absent(records.size() + " v=STSv1 records, so none applies (RFC 8461 §3.1)");
        }
        String id = id(records.get(0));
        return id == null ? new Absent("invalid record \"" + records.get(0) + "\" (RFC 8461 §3.1)") : new Id(id);
    }

    /** Begins with {@code v=STSv1}, then ends or goes on with a delimiter ({@code v=STSv10} is another version). */
    private static boolean announcesVersion(String record) {
        if (!record.startsWith(VERSION)) {
            return false;
        }
        return record.length() == VERSION.length() || " \t;".indexOf(record.charAt(VERSION.length())) >= 0;
    }

    /**
     * The {@code id} of a record by the grammar of §3.1: the version, then fields each after a {@code ;} with
     * optional blanks around it, an optional {@code ;} at the end; exactly one {@code id}; or null when invalid.
     */
    static String id(String record) {
        if (!announcesVersion(record)) {
            return null;
        }
        String[] parts = record.substring(VERSION.length()).split(";", -1);
        if (parts.length < 2 || !blank(parts[0])) {
            return null;
        }
        String id = null;
        for (int i = 1; i < parts.length; i++) {
            String field = parts[i].strip();
            if (field.isEmpty() && i == parts.length - 1 && i > 1) {
                break; // the optional trailing delimiter
            }
            if (!strippedOfBlanksOnly(parts[i], field)) {
                return null;
            }
            if (field.startsWith("id=")) {
                String value = field.substring(3);
                if (id != null || !ID.matcher(value).matches()) {
                    return null;
                }
                id = value;
            } else if (!EXTENSION.matcher(field).matches()) {
                return null;
            }
        }
        return id;
    }

    private static boolean blank(String s) {
        return s.chars().allMatch(c -> c == ' ' || c == '\t');
    }

    /** Only spaces and tabs (WSP) may surround a field; {@link String#strip} removes more. */
    private static boolean strippedOfBlanksOnly(String part, String field) {
        int start = part.indexOf(field);
        return !field.isEmpty() && blank(part.substring(0, start)) && blank(part.substring(start + field.length()));
    }
}
