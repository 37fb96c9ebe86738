package dev.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Whatever a client sends, the parsers give a message or a reason, and the mechanism a step. */
class ScramMessagesProperties {

    @Property
    void anyOctetsParseOrFailWithAReason(@ForAll byte[] octets) {
        try {
            ScramMessages.ClientFirst first = ScramMessages.clientFirst(octets);
            assertThat(first.gs2Header()).matches("[ny],.*,");
        } catch (ScramMessages.Malformed e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            ScramMessages.clientFinal(octets);
        } catch (ScramMessages.Malformed e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property
    void anyTextAfterAValidPrefixGivesAStep(@ForAll String rest) {
        SaslMechanism scram = new ScramSha256Mechanism(new MemoryCredentials(), new FakeScram(Fixtures.SECRET, 4096),
                () -> "servernonce");
        SaslStep step = scram.start(Fixtures.utf8("n,,n=u" + rest + ",r=x"));
        if (step instanceof SaslStep.Challenge) {
            assertThat(scram.next(Fixtures.utf8("c=biws,r=x" + rest))).isInstanceOf(SaslStep.Failure.class);
        } else {
            assertThat(step).isInstanceOf(SaslStep.Failure.class);
        }
    }

    @Property
    void saslnamesWithoutEscapesAreThemselves(@ForAll String name) {
        String plain = name.replace("=", "");
        try {
            assertThat(ScramMessages.saslname(plain)).isEqualTo(plain);
            assertThat(ScramMessages.saslname(plain.replace(",", "=2C") + "=3D")).isEqualTo(plain + "=");
        } catch (ScramMessages.Malformed e) {
            throw new AssertionError(e);
        }
    }
}
