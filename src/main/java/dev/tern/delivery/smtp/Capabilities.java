package dev.tern.delivery.smtp;

import dev.tern.smtp.protocol.Reply;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The service extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1): one keyword per line
 * after the first, with optional parameters.
 *
 * @param size          SIZE (RFC 1870): the declared limit in octets, 0 for "no fixed limit", -1 when not offered
 * @param pipelining    PIPELINING (RFC 2920)
 * @param chunking      CHUNKING, the BDAT command (RFC 3030)
 * @param eightBitMime  8BITMIME (RFC 6152)
 * @param binaryMime    BINARYMIME (RFC 3030)
 * @param smtputf8      SMTPUTF8 (RFC 6531)
 * @param dsn           DSN (RFC 3461)
 * @param startTls      STARTTLS (RFC 3207)
 * @param auth          AUTH mechanisms (RFC 4954), upper case
 * @param requireTls    REQUIRETLS (RFC 8689 §3), which a server offers only under TLS
 */
record Capabilities(long size, boolean pipelining, boolean chunking, boolean eightBitMime, boolean binaryMime,
                    boolean smtputf8, boolean dsn, boolean startTls, Set<String> auth, boolean requireTls) {

    Capabilities {
        auth = Set.copyOf(auth);
    }

    /** After HELO, or before any EHLO: nothing beyond RFC 5321's basic commands. */
    static Capabilities none() {
        return new Capabilities(-1, false, false, false, false, false, false, false, Set.of(), false);
    }

    static Capabilities parse(Reply ehlo) {
        List<String> lines = ehlo.lines();
        long size = -1;
        boolean pipelining = false;
        boolean chunking = false;
        boolean eightBit = false;
        boolean binary = false;
        boolean utf8 = false;
        boolean dsn = false;
        boolean tls = false;
        boolean requireTls = false;
        Set<String> auth = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] words = line.trim().toUpperCase(Locale.ROOT).split("[ =]+");
            switch (words[0]) {
                case "SIZE" -> size = words.length > 1 && words[1].matches("[0-9]{1,18}") ? Long.parseLong(words[1]) : 0;
                case "PIPELINING" -> pipelining = true;
                case "CHUNKING" -> chunking = true;
                case "8BITMIME" -> eightBit = true;
                case "BINARYMIME" -> binary = true;
                case "SMTPUTF8" -> utf8 = true;
                case "DSN" -> dsn = true;
                case "STARTTLS" -> tls = true;
                case "REQUIRETLS" -> requireTls = true;
                case "AUTH" -> auth.addAll(List.of(words).subList(1, words.length));
                default -> { } // extensions we do not use
            }
        }
        return new Capabilities(size, pipelining, chunking, eightBit, binary, utf8, dsn, tls, auth, requireTls);
    }
}
