package dev.tern.store;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.mail.Domain;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Canonical forms and the syntax rules of names the directory stores.
 *
 * <p>A canonical address is {@code local@domain}: the local part in Unicode NFC (RFC 6530 §10.1 asks for
 * normalized forms) and lower case, since Tern compares local parts case-insensitively; the domain as its
 * lower-case A-label ({@link Domain#key()}), so {@code Bücher.example} and {@code xn--bcher-kva.example} are one.
 */
public final class Names {

    private Names() {
    }

    /** The lookup form of a local part as a client wrote it (quotes removed, NFC, lower case). */
    public static String localKey(String localPart) {
        return Normalizer.normalize(localPart, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    /**
     * The lookup form of a login (a user's full address as a client typed it: {@code Alice@Example.COM}):
     * local part as {@link #localKey}, domain as its lower-case A-label; no {@code +tag} stripping, no syntax
     * check beyond "something@something". Empty when the login is not of that shape.
     */
    public static Optional<String> loginKey(String login) {
        int at = login == null ? -1 : login.lastIndexOf('@');
        if (at <= 0 || at == login.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(localKey(login.substring(0, at)) + "@" + Domain.of(login.substring(at + 1)).key());
    }

    /** The canonical form of a recipient; the caller has already checked that it is not {@code <>}. */
    public static String addressKey(Address address) {
        return localKey(address.unquotedLocalPart()) + "@" + address.domain().key();
    }

    /**
     * Checks and canonicalizes a domain an operator names (a U-label or A-label domain, never an address
     * literal: Tern does not store mail for {@code [192.0.2.1]}).
     */
    public static String domain(String name) throws DirectoryException {
        if (name.startsWith("[")) {
            throw new DirectoryException("invalid domain \"" + name + "\": address literals cannot be local domains");
        }
        try {
            Address.checkDomain(name, true);
        } catch (AddressException e) {
            throw new DirectoryException("invalid domain \"" + name + "\": " + e.getMessage());
        }
        return Domain.of(name).key();
    }

    /**
     * Checks a local part for a user or alias and returns its canonical form. The rule is narrower than
     * RFC 5321's on purpose, so that a user name is always safe as a mailbox directory name: letters
     * (any script, with their combining marks), digits, {@code .}, {@code -}, {@code _}; no leading,
     * trailing or doubled dot; no {@code +} (it separates the tag); at most 64 octets (§4.5.3.1.1).
     */
    public static String localPart(String text) throws DirectoryException {
        String local = localKey(text);
        String problem = localPartProblem(local, false);
        if (problem != null) {
            throw new DirectoryException("invalid local part \"" + text + "\": " + problem);
        }
        return local;
    }

    private static String localPartProblem(String local, boolean tagged) {
        if (local.isEmpty()) {
            return "empty";
        }
        if (local.getBytes(StandardCharsets.UTF_8).length > Address.MAX_LOCAL_PART_OCTETS) {
            return "longer than 64 octets";
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return "a dot may not start or end it or follow another dot";
        }
        for (int i = 0; i < local.length(); ) {
            int c = local.codePointAt(i);
            if (!allowed(c, i == 0) && !(tagged && c == '+' && i > 0)) {
                return c == '+' ? "'+' is reserved for tags (user+tag@domain reaches user@domain)"
                        : "only letters, digits, '.', '-' and '_' are allowed";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    private static boolean allowed(int c, boolean first) {
        if (Character.isLetter(c) || Character.isDigit(c) || c == '.' || c == '-' || c == '_') {
            return true;
        }
        int type = Character.getType(c);
        return !first && (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK);
    }

    /** Checks and canonicalizes {@code local@domain} for a user (no catch-all). */
    public static String userAddress(String text) throws DirectoryException {
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            throw new DirectoryException("invalid address \"" + text + "\": expected local@domain");
        }
        return localPart(text.substring(0, at)) + "@" + domain(text.substring(at + 1));
    }

    /**
     * Checks and canonicalizes an alias name: {@code local@domain}, or {@code @domain} for a catch-all. An
     * alias may hold a {@code +tag} ({@code bob+lists@}): it then wins over the tag rule for that name.
     */
    public static String aliasAddress(String text) throws DirectoryException {
        if (text.startsWith("@")) {
            return "@" + domain(text.substring(1));
        }
        return tagged(text, "address");
    }

    /**
     * Checks and canonicalizes an alias target. A user-like address (a {@code +tag} allowed, since a target is
     * resolved like a recipient) is canonical as a user is: lower case. Any other RFC 5321 mailbox with a
     * dot-atom local part is a forward to another domain and keeps its local part as written, since only the
     * domain that owns it may fold its case (RFC 5321 §2.4); quoted local parts are refused, so that a
     * target never holds the file's separators.
     */
    public static String target(String text) throws DirectoryException {
        try {
            return tagged(text, "target");
        } catch (DirectoryException userLike) {
            return forward(text, userLike);
        }
    }

    /** Refuses a target of a local domain that is not user-like (it could name no user or alias here). */
    static void localTarget(String canonical) throws DirectoryException {
        tagged(canonical, "target");
    }

    private static String forward(String text, DirectoryException userLike) throws DirectoryException {
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1 || text.startsWith("\"")) {
            throw userLike;
        }
        String local = Normalizer.normalize(text.substring(0, at), Normalizer.Form.NFC);
        try {
            Address.parseMailbox(local + "@" + text.substring(at + 1), true);
        } catch (AddressException e) {
            throw new DirectoryException("invalid target \"" + text + "\": " + e.getMessage());
        }
        return local + "@" + domain(text.substring(at + 1));
    }

    private static String tagged(String text, String what) throws DirectoryException {
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            throw new DirectoryException("invalid " + what + " \"" + text + "\": expected local@domain");
        }
        String local = localKey(text.substring(0, at));
        String problem = localPartProblem(local, true);
        if (problem != null) {
            throw new DirectoryException("invalid " + what + " \"" + text + "\": " + problem);
        }
        return local + "@" + domain(text.substring(at + 1));
    }

    /** The domain part of a canonical address or alias name. */
    static String domainOf(String canonical) {
        return canonical.substring(canonical.lastIndexOf('@') + 1);
    }

    /** The local part of a canonical address (empty for a catch-all). */
    static String localOf(String canonical) {
        return canonical.substring(0, canonical.lastIndexOf('@'));
    }
}
