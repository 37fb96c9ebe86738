package dev.tern.dns;

/**
 * One MX record: preference and exchange host name (without the trailing dot, {@code "."} for the root).
 *
 * <p>RFC 7505: a single MX whose exchange is the root ({@code "."}) is a "null MX", the domain accepts no mail.
 */
public record MxRecord(int preference, String exchange) {

    public boolean isNullMx() {
        return exchange.equals(".") || exchange.isEmpty();
    }
}
