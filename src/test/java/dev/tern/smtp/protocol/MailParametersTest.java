package dev.tern.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.mail.Envelope.BodyType;
import dev.tern.mail.Envelope.Ret;
import dev.tern.mail.Recipient.Notify;
import dev.tern.smtp.protocol.MailParameters.MailOptions;
import dev.tern.smtp.protocol.MailParameters.RcptOptions;
import dev.tern.smtp.protocol.MailParameters.Refused;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The MAIL and RCPT parameters of RFC 1870, 6152, 3030, 6531, 3461 and 4954 as {@link MailParameters}
 * checks them, without a session: each value, each refusal and its exact reply.
 */
class MailParametersTest {

    private static final Reply UNKNOWN = Reply.of(555, "5.5.4", "Unsupported parameter");

    @Test
    void noParametersGiveTheDefaults() throws Refused {
        assertThat(MailParameters.mail(Map.of())).isEqualTo(new MailOptions(-1, BodyType.SEVEN_BIT, false, null, null));
        assertThat(MailParameters.rcpt(Map.of())).isEqualTo(new RcptOptions(Set.of(), null));
    }

    @Test
    void mailTakesEveryParameterItKnows() throws Refused {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("SIZE", "1024");
        all.put("BODY", "8bitmime");
        all.put("SMTPUTF8", null); // a parameter without "=value" reaches the checks as null (CommandParser)
        all.put("RET", "hdrs");
        all.put("ENVID", "QQ+2B314159");
        all.put("AUTH", "<>");
        MailOptions o = MailParameters.mail(all);
        assertThat(o).isEqualTo(new MailOptions(1024, BodyType.EIGHT_BIT_MIME, true, Ret.HDRS, "QQ+2B314159"));
        assertThat(MailParameters.mail(Map.of("BODY", "7BIT")).body()).isEqualTo(BodyType.SEVEN_BIT);
        assertThat(MailParameters.mail(Map.of("BODY", "BinaryMIME")).body()).isEqualTo(BodyType.BINARY_MIME);
        assertThat(MailParameters.mail(Map.of("RET", "FULL")).ret()).isEqualTo(Ret.FULL);
        assertThat(MailParameters.mail(Map.of("SIZE", "0")).declaredSize()).isZero();
        assertThat(MailParameters.mail(Map.of("SIZE", "999999999999999999")).declaredSize())
                .isEqualTo(999_999_999_999_999_999L);
        assertThat(MailParameters.mail(Map.of("AUTH", "user+40example.org"))).isNotNull();
    }

    @Test
    void sizeIsANumberOfAtMostEighteenDigits() {
        for (String bad : new String[] {"", "-1", "1e3", "12 ", "1000000000000000000", "\u0661"}) {
            assertRefused(Map.of("SIZE", bad), 501, "SIZE takes a number of octets (RFC 1870)");
        }
        assertRefused(mapWithNull("SIZE"), 501, "SIZE takes a number of octets (RFC 1870)");
    }

    @Test
    void bodyAndRetHaveTheirWords() {
        assertRefused(Map.of("BODY", "8BIT"), 501, "BODY must be 7BIT, 8BITMIME or BINARYMIME");
        assertRefused(mapWithNull("BODY"), 501, "BODY must be 7BIT, 8BITMIME or BINARYMIME");
        assertRefused(Map.of("RET", "HEADERS"), 501, "RET must be FULL or HDRS (RFC 3461)");
        assertRefused(mapWithNull("RET"), 501, "RET must be FULL or HDRS (RFC 3461)");
    }

    @Test
    void smtputf8TakesNoValue() {
        assertRefused(Map.of("SMTPUTF8", "yes"), 501, "SMTPUTF8 takes no value");
        assertRefused(Map.of("SMTPUTF8", ""), 501, "SMTPUTF8 takes no value");
    }

    @Test
    void envidIsXtextOfAtMostOneHundredCharacters() throws Refused {
        assertThat(MailParameters.mail(Map.of("ENVID", "x".repeat(100))).envid()).hasSize(100);
        String length = "ENVID must be xtext of at most 100 characters (RFC 3461)";
        assertRefused(Map.of("ENVID", "x".repeat(101)), 501, length);
        assertRefused(Map.of("ENVID", ""), 501, length);
        assertRefused(mapWithNull("ENVID"), 501, length);
        assertRefused(Map.of("ENVID", "a=b"), 501, "ENVID must be xtext (RFC 3461 §4)");
        assertRefused(Map.of("ENVID", "a b"), 501, "ENVID must be xtext (RFC 3461 §4)");
        assertRefused(Map.of("ENVID", "a\u007fb"), 501, "ENVID must be xtext (RFC 3461 §4)");
        for (String escape : new String[] {"+", "a+4", "+4g", "+2b", "+G0"}) {
            assertRefused(Map.of("ENVID", escape), 501, "ENVID has a bad +XX escape (RFC 3461 §4)");
        }
        // RFC 6533: UTF-8 is taken as it comes.
        assertThat(MailParameters.mail(Map.of("ENVID", "r\u00e9f")).envid()).isEqualTo("r\u00e9f");
    }

    @Test
    void authIsCheckedForSyntaxOnly() {
        assertRefused(Map.of("AUTH", "a=b"), 501, "AUTH must be xtext (RFC 3461 §4)");
        assertRefused(Map.of("AUTH", "x".repeat(501)), 501, "AUTH must be xtext of at most 500 characters (RFC 3461)");
        assertRefused(mapWithNull("AUTH"), 501, "AUTH must be xtext of at most 500 characters (RFC 3461)");
    }

    /** RFC 8689 §2: REQUIRETLS takes no value and is taken only on a session under TLS. */
    @Test
    void requireTlsIsTakenOnlyUnderTls() throws Refused {
        assertThat(MailParameters.mail(mapWithNull("REQUIRETLS"), true).requireTls()).isTrue();
        assertThat(MailParameters.mail(Map.of(), true).requireTls()).isFalse();
        assertThat(MailParameters.mail(Map.of("BODY", "8BITMIME"), true))
                .isEqualTo(new MailOptions(-1, BodyType.EIGHT_BIT_MIME, false, null, null, false));

        Reply withoutTls = Reply.of(530, "5.7.10", "REQUIRETLS needs a TLS session: issue STARTTLS first (RFC 8689 §2)");
        assertThat(refusal(() -> MailParameters.mail(mapWithNull("REQUIRETLS"), false))).isEqualTo(withoutTls);
        assertThat(refusal(() -> MailParameters.mail(mapWithNull("REQUIRETLS")))).as("no TLS unless said")
                .isEqualTo(withoutTls);
        assertThat(refusal(() -> MailParameters.mail(Map.of("REQUIRETLS", "yes"), true)))
                .isEqualTo(Reply.of(501, "5.5.4", "REQUIRETLS takes no value"));
        assertThat(refusal(() -> MailParameters.mail(Map.of("REQUIRETLS", ""), true)))
                .isEqualTo(Reply.of(501, "5.5.4", "REQUIRETLS takes no value"));
    }

    /**
     * Every parameter's syntax is judged before REQUIRETLS is refused for want of TLS, whatever the order on the
     * line: a malformed SMTPUTF8, BODY, SIZE, RET or ENVID, or an unknown parameter, gets its own reply.
     */
    @Test
    void syntaxIsJudgedBeforeRequireTlsWithoutTls() {
        Map<String, String> before = new LinkedHashMap<>();
        before.put("REQUIRETLS", null);
        before.put("BODY", "9BIT");
        assertThat(refusal(() -> MailParameters.mail(before, false)))
                .isEqualTo(Reply.of(501, "5.5.4", "BODY must be 7BIT, 8BITMIME or BINARYMIME"));
        for (Map.Entry<String, String> bad : Map.of("SMTPUTF8", "yes", "SIZE", "big", "RET", "ALL",
                "ENVID", "a=b").entrySet()) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("REQUIRETLS", null);
            params.put(bad.getKey(), bad.getValue());
            assertThat(refusal(() -> MailParameters.mail(params, false)).code()).as(params.toString()).isEqualTo(501);
        }
        Map<String, String> unknown = new LinkedHashMap<>();
        unknown.put("REQUIRETLS", null);
        unknown.put("FROB", null);
        assertThat(refusal(() -> MailParameters.mail(unknown, false))).isEqualTo(UNKNOWN);

        Map<String, String> good = new LinkedHashMap<>();
        good.put("SMTPUTF8", null);
        good.put("BODY", "8BITMIME");
        good.put("SIZE", "100");
        good.put("RET", "HDRS");
        good.put("ENVID", "id1");
        good.put("REQUIRETLS", null);
        assertThat(refusal(() -> MailParameters.mail(good, false)).enhanced()).isEqualTo("5.7.10");
    }

    @Test
    void anUnknownParameterIs555() throws Refused {
        assertThat(refusal(() -> MailParameters.mail(Map.of("FROB", "1")))).isEqualTo(UNKNOWN);
        assertThat(refusal(() -> MailParameters.mail(Map.of("NOTIFY", "NEVER")))).isEqualTo(UNKNOWN);
        assertThat(refusal(() -> MailParameters.rcpt(Map.of("SIZE", "1")))).isEqualTo(UNKNOWN);
        assertThat(refusal(() -> MailParameters.rcpt(Map.of("BODY", "8BITMIME")))).isEqualTo(UNKNOWN);
    }

    @Test
    void notifyIsNeverOrAListOfEvents() throws Refused {
        assertThat(MailParameters.rcpt(Map.of("NOTIFY", "never")).notifyOn()).containsExactly(Notify.NEVER);
        assertThat(MailParameters.rcpt(Map.of("NOTIFY", "SUCCESS,FAILURE,DELAY")).notifyOn())
                .isEqualTo(EnumSet.of(Notify.SUCCESS, Notify.FAILURE, Notify.DELAY));
        String words = "NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY (RFC 3461)";
        assertRcptRefused(Map.of("NOTIFY", "SOMETIMES"), words);
        assertRcptRefused(Map.of("NOTIFY", ""), words);
        assertRcptRefused(Map.of("NOTIFY", "SUCCESS,"), words);
        assertRcptRefused(Map.of("NOTIFY", "SUCCESS, DELAY"), words);
        assertRcptRefused(mapWithNull("NOTIFY"), words);
        assertRcptRefused(Map.of("NOTIFY", "DELAY,delay"), "NOTIFY lists a value twice");
        assertRcptRefused(Map.of("NOTIFY", "NEVER,FAILURE"), "NOTIFY=NEVER cannot be combined (RFC 3461 §4.1)");
    }

    @Test
    void orcptIsAnAddressTypeAndXtext() throws Refused {
        assertThat(MailParameters.rcpt(Map.of("ORCPT", "rfc822;a+40b.example")).orcpt())
                .isEqualTo("rfc822;a+40b.example");
        assertThat(MailParameters.rcpt(Map.of("ORCPT", "x-type-2;z")).orcpt()).isEqualTo("x-type-2;z");
        String form = "ORCPT must be addr-type;xtext (RFC 3461 §4.2)";
        for (String bad : new String[] {"rfc822", ";a@b", "-x;a@b", "rfc 822;a@b", "utf_8;a@b"}) {
            assertRcptRefused(Map.of("ORCPT", bad), form);
        }
        assertRcptRefused(mapWithNull("ORCPT"), form);
        assertRcptRefused(Map.of("ORCPT", "rfc822;"), "ORCPT must be xtext of at most 500 characters (RFC 3461)");
        assertRcptRefused(Map.of("ORCPT", "rfc822;" + "a".repeat(501)),
                "ORCPT must be xtext of at most 500 characters (RFC 3461)");
        assertRcptRefused(Map.of("ORCPT", "rfc822;a=b"), "ORCPT must be xtext (RFC 3461 §4)");
        assertRcptRefused(Map.of("ORCPT", "rfc822;a+zz"), "ORCPT has a bad +XX escape (RFC 3461 §4)");
    }

    @Test
    void theRefusalCarriesItsReplyAsItsMessage() {
        Refused r = (Refused) org.assertj.core.api.Assertions.catchThrowable(
                () -> MailParameters.mail(Map.of("RET", "x")));
        assertThat(r.getMessage()).isEqualTo("501 5.5.4 RET must be FULL or HDRS (RFC 3461)");
        assertThat(r.getStackTrace()).isEmpty(); // a client's mistake, not a fault: no stack to fill
    }

    private static Map<String, String> mapWithNull(String key) {
        Map<String, String> m = new HashMap<>();
        m.put(key, null);
        return Collections.unmodifiableMap(m);
    }

    private static void assertRefused(Map<String, String> params, int code, String text) {
        assertThat(refusal(() -> MailParameters.mail(params))).as(params.toString())
                .isEqualTo(Reply.of(code, "5.5.4", text));
    }

    private static void assertRcptRefused(Map<String, String> params, String text) {
        assertThat(refusal(() -> MailParameters.rcpt(params))).as(params.toString())
                .isEqualTo(Reply.of(501, "5.5.4", text));
    }

    private interface Check {
        void run() throws Refused;
    }

    private static Reply refusal(Check check) {
        try {
            check.run();
        } catch (Refused e) {
            return e.reply();
        }
        throw new AssertionError("not refused");
    }
}
