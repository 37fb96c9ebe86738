package dev.tern.dns;

import java.util.List;

/**
 * The outcome of one DNS lookup, keeping apart the cases that callers must treat differently.
 *
 * <p>{@link NxDomain} and {@link NoData} are both permanent "nothing here" answers (RFC 2308), but SPF, the MX walk
 * and DANE tell them apart; {@link Temporary} covers SERVFAIL, REFUSED, timeouts and network errors, which must
 * never be taken for a negative answer.
 *
 * @param <T> the record value type (an address, a name, a string, ...)
 */
public sealed interface DnsResult<T> {

    /**
     * At least one record of the queried type.
     *
     * @param authenticated the AD bit of the response: the recursive resolver validated it with DNSSEC (RFC 4035
     *     §3.2.3). Only as trustworthy as the path to that resolver; DANE (RFC 7672) needs it for TLSA answers.
     */
    record Answer<T>(List<T> records, boolean authenticated) implements DnsResult<T> {
        public Answer {
            records = List.copyOf(records);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("an answer holds at least one record; use NoData");
            }
        }
    }

    /** RCODE 3: the name does not exist. */
    record NxDomain<T>() implements DnsResult<T> {}

    /** NOERROR with no record of the queried type: the name exists but holds nothing of this type. */
    record NoData<T>() implements DnsResult<T> {}

    /** The question could not be answered now: SERVFAIL, REFUSED, timeout, network error. Worth retrying later. */
    record Temporary<T>(String reason) implements DnsResult<T> {}

    /** The records of an answer, or an empty list for every other outcome. */
    default List<T> records() {
        return this instanceof Answer<T> answer ? answer.records() : List.of();
    }

    /** True for NXDOMAIN and NODATA: the "void lookups" of RFC 7208 §4.6.4. */
    default boolean isVoid() {
        return this instanceof NxDomain<T> || this instanceof NoData<T>;
    }

    default boolean isTemporary() {
        return this instanceof Temporary<T>;
    }
}
