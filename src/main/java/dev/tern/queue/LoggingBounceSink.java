package dev.tern.queue;

import dev.tern.delivery.Outcome;
import dev.tern.observe.MailLog;
import java.util.List;

/** Records failures in the mail log only; stands in until bounce messages are generated. */
public final class LoggingBounceSink implements BounceSink {

    @Override
    public void failed(StoredMessage message, List<Outcome> failures) {
        for (Outcome f : failures) {
            MailLog.event(message.id().value(), "bounce-pending").address("from", message.envelope().sender())
                    .address("to", f.recipient().address()).with("status", f.enhancedCode())
                    .with("reason", f.detail()).log();
        }
    }
}
