package dev.tern.auth;

import static dev.tern.auth.Fixtures.text;
import static dev.tern.auth.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.store.ScramCredential;
import dev.tern.store.StoredPassword;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScramSha256MechanismTest {

    // RFC 7677 §3: user "user", password "pencil".
    private static final byte[] RFC_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final String RFC_CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String RFC_SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String RFC_SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String RFC_CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String RFC_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private final MemoryCredentials credentials = new MemoryCredentials()
            .add("user", scram("pencil", RFC_SALT))
            .add("alice@example.com", scram("correct horse", "alice salt 16 oc".getBytes(StandardCharsets.US_ASCII)))
            .add("old@example.com", StoredPassword.of(Fixtures.CHEAP.hash("pencil".toCharArray())));

    private static StoredPassword scram(String password, byte[] salt) {
        ScramCredential credential = StoredPasswords.scramSha256(password.toCharArray(), salt, 4096).orElseThrow();
        return StoredPassword.of(Fixtures.CHEAP.hash(password.toCharArray()), credential);
    }

    private SaslMechanism mechanism() {
        return new ScramSha256Mechanism(credentials, new FakeScram(Fixtures.SECRET, 4096), () -> RFC_SERVER_NONCE);
    }

    @Test
    void theRfc7677ExampleGivesTheSameServerMessagesAndAcceptsTheClientProof() {
        SaslMechanism scram = mechanism();
        assertThat(text(scram.start(utf8(RFC_CLIENT_FIRST)))).isEqualTo(RFC_SERVER_FIRST);
        assertThat(text(scram.next(utf8(RFC_CLIENT_FINAL)))).isEqualTo(RFC_SERVER_FINAL);
        assertThat(scram.next(new byte[0])).isEqualTo(new SaslStep.Success("user"));
        assertThatThrownBy(() -> scram.next(new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutAnInitialResponseTheServerFirstSendsAnEmptyChallenge() {
        SaslMechanism scram = mechanism();
        assertThat(((SaslStep.Challenge) scram.start(null)).data()).isEmpty();
        assertThat(text(scram.next(utf8(RFC_CLIENT_FIRST)))).isEqualTo(RFC_SERVER_FIRST);
        assertThat(text(scram.next(utf8(RFC_CLIENT_FINAL)))).isEqualTo(RFC_SERVER_FINAL);
        assertThat(scram.next(new byte[0])).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void aWrongProofFailsWithoutAServerSignature() {
        SaslMechanism scram = mechanism();
        scram.start(utf8(RFC_CLIENT_FIRST));
        String forged = RFC_CLIENT_FINAL.replace("p=dHzb", "p=dHzc");
        assertThat(scram.next(utf8(forged))).isEqualTo(new SaslStep.Failure("user", "wrong password"));
    }

    @Test
    void aFullExchangeWithAnAddressAndTheYFlagAndAnAuthzidSucceeds() {
        for (String header : new String[] {"n,,", "y,,", "n,a=Alice@Example.COM,"}) {
            Exchange exchange = run(header, "Alice@Example.com", "correct horse");
            assertThat(exchange.last).as(header).isEqualTo(new SaslStep.Success("alice@example.com"));
        }
    }

    @Test
    void anUnknownUserGetsAStableStandInSaltAndTheSameFailureAsAWrongPassword() {
        Exchange wrong = run("n,,", "alice@example.com", "not it");
        Exchange unknown = run("n,,", "nobody@example.com", "not it");
        Exchange again = run("n,,", "NOBODY@example.com", "other");
        Exchange other = run("n,,", "somebody@example.com", "not it");

        assertThat(wrong.serverFirst).matches("r=[^,]+,s=[A-Za-z0-9+/]{22}==,i=4096");
        assertThat(unknown.serverFirst).matches("r=[^,]+,s=[A-Za-z0-9+/]{22}==,i=4096");
        assertThat(salt(unknown)).isEqualTo(salt(again)).isNotEqualTo(salt(other));
        assertThat(wrong.last).isInstanceOf(SaslStep.Failure.class);
        assertThat(unknown.last).isEqualTo(new SaslStep.Failure("nobody@example.com", "no such user"));
    }

    @Test
    void aUserWithoutAVerifierFailsLikeAnUnknownOneWithAReasonForTheOperator() {
        Exchange exchange = run("n,,", "old@example.com", "pencil");
        assertThat(exchange.serverFirst).matches("r=[^,]+,s=[A-Za-z0-9+/]{22}==,i=4096");
        assertThat(((SaslStep.Failure) exchange.last).reasonForLog()).contains("no SCRAM-SHA-256 verifier");
    }

    @Test
    void channelBindingIsRefusedClearly() {
        SaslStep step = mechanism().start(utf8("p=tls-exporter,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThat(((SaslStep.Failure) step).reasonForLog()).contains("channel binding (p=tls-exporter)");
    }

    @Test
    void anAuthzidOfAnotherUserIsRefused() {
        SaslStep step = mechanism().start(utf8("n,a=bob@example.com,n=alice@example.com,r=abc"));
        assertThat(step).isEqualTo(new SaslStep.Failure("alice@example.com",
                "authorization identity bob@example.com is not the user"));
    }

    @Test
    void malformedFirstMessagesFail() {
        for (String bad : new String[] {"", "n", "n,,", "x,,n=user,r=abc", "n,,r=abc,n=user", "n,,n=user",
            "n,,m=ext,n=user,r=abc", "n,,n=user,r=a,b", "n,,n=us=er,r=abc", "n,,n=,r=abc", "n,,n=user,r=",
            "n,,n=user,r=ab c", "n,b=x,n=user,r=abc"}) {
            assertThat(mechanism().start(utf8(bad))).as(bad).isInstanceOf(SaslStep.Failure.class);
        }
        assertThat(mechanism().start(new byte[] {'n', ',', ',', 'n', '=', (byte) 0xFF, ',', 'r', '=', 'a'}))
                .as("not UTF-8").isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void malformedOrMismatchedFinalMessagesFail() {
        String nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        String proof = ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
        Map<String, String> cases = new HashMap<>();
        cases.put("c=eSws,r=" + nonce + proof, "channel binding attribute does not repeat the gs2 header");
        cases.put("c=biws,r=" + nonce + "x" + proof, "nonce does not match the server's");
        cases.put("c=biws,r=rOprNGfwEbeRWgbNEkqO" + proof, "nonce does not match the server's");
        cases.put("c=biws,r=" + nonce, "client-final-message has no proof");
        cases.put("c=biws,r=" + nonce + ",p=!!", "p= is not Base64");
        cases.put("c=biws,r=" + nonce + ",p=AAAA", "wrong password");
        cases.put("r=" + nonce + ",c=biws" + proof, "client-final-message: expected c=channel-binding,r=nonce,...,p=proof");
        cases.put("c=biws,r=" + nonce + ",bad" + proof, "malformed attribute \"bad\"");
        cases.forEach((message, reason) -> {
            SaslMechanism scram = mechanism();
            scram.start(utf8(RFC_CLIENT_FIRST));
            assertThat(scram.next(utf8(message))).as(message).isEqualTo(new SaslStep.Failure("user", reason));
        });
    }

    @Test
    void extensionsAreIgnoredAndAnythingButAnEmptyLineAfterTheServerFinalFails() {
        SaslMechanism scram = mechanism();
        scram.start(utf8(RFC_CLIENT_FIRST + ",x=future"));
        // The proof covers the AuthMessage, which now holds the extension: a valid proof cannot be reused.
        assertThat(scram.next(utf8(RFC_CLIENT_FINAL))).isInstanceOf(SaslStep.Failure.class);

        SaslMechanism other = mechanism();
        other.start(utf8(RFC_CLIENT_FIRST));
        other.next(utf8(RFC_CLIENT_FINAL));
        assertThat(other.next(utf8("v=x"))).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void saslnamesDecodeCommaAndEquals() {
        credentials.add("a,b=c@example.com", scram("pw", "sixteen octets!!".getBytes(StandardCharsets.US_ASCII)));
        Exchange exchange = run("n,,", "a,b=c@example.com", "pw");
        assertThat(exchange.clientFirst).contains("n=a=2Cb=3Dc@example.com");
        assertThat(exchange.last).isEqualTo(new SaslStep.Success("a,b=c@example.com"));
    }

    // ---- a hand-rolled client (RFC 5802 §3), checked itself by the RFC example above ------------------

    private record Exchange(String clientFirst, String serverFirst, SaslStep last) {
    }

    private static byte[] salt(Exchange exchange) {
        return Base64.getDecoder().decode(exchange.serverFirst.split(",")[1].substring(2));
    }

    private Exchange run(String gs2Header, String user, String password) {
        String bare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=clientnonce";
        SaslMechanism scram = mechanism();
        SaslStep first = scram.start(utf8(gs2Header + bare));
        if (!(first instanceof SaslStep.Challenge)) {
            return new Exchange(gs2Header + bare, null, first);
        }
        String serverFirst = text(first);
        String clientFinal = clientFinal(gs2Header, bare, serverFirst, password);
        SaslStep second = scram.next(utf8(clientFinal));
        SaslStep last = second instanceof SaslStep.Challenge ? scram.next(new byte[0]) : second;
        return new Exchange(gs2Header + bare, serverFirst, last);
    }

    static String clientFinal(String gs2Header, String clientFirstBare, String serverFirst, String password) {
        String[] fields = serverFirst.split(",");
        String nonce = fields[0].substring(2);
        byte[] salt = Base64.getDecoder().decode(fields[1].substring(2));
        int iterations = Integer.parseInt(fields[2].substring(2));
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(utf8(gs2Header)) + ",r=" + nonce;
        byte[] salted = Scram.hi(utf8(password), salt, iterations);
        byte[] clientKey = Scram.hmac(salted, "Client Key");
        byte[] signature = Scram.hmac(Scram.h(clientKey), clientFirstBare + "," + serverFirst + "," + withoutProof);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(Scram.xor(clientKey, signature));
    }
}
