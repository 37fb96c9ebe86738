package dev.tern.smtp.server;

import dev.tern.policy.screen.Greeting;
import dev.tern.policy.screen.Outcome;
import dev.tern.policy.screen.Screening;
import dev.tern.smtp.protocol.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The MX listener's screen before the 220, as the session runs it (policy.screen decides and logs). */
final class ScreenStep {

    private ScreenStep() {
    }

    /**
     * Runs the screen on a connection from which nothing has been read yet.
     *
     * @return null to greet the client, else the reply to send instead of the 220 (closing for an early talker)
     */
    static Reply beforeGreeting(Screening screening, SessionState state, Transport transport, OutputStream out)
            throws IOException {
        Outcome outcome = screening.beforeGreeting(new PreGreeting(transport, out));
        if (outcome.vouchedBy() != null) {
            state.vouchedFor(outcome.vouchedBy());
        }
        if (!outcome.refused()) {
            return null;
        }
        Reply reply = Reply.of(outcome.verdict().code(), outcome.verdict().enhanced(), outcome.verdict().text());
        return outcome.close() ? reply.closingConnection() : reply;
    }

    /** The connection before the 220, as the screen sees it. */
    private record PreGreeting(Transport transport, OutputStream out) implements Greeting {

        @Override
        public void continuation(String text) throws IOException {
            out.write(("220-" + text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public byte[] pending(int max) throws IOException {
            InputStream raw = transport.input(); // the session's SmtpInput has read nothing yet
            int waiting = Math.min(raw.available(), max);
            return waiting <= 0 ? new byte[0] : raw.readNBytes(waiting);
        }
    }
}
