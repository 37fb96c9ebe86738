package dev.tern.smtp.server;

import dev.tern.config.ListenerSettings;
import dev.tern.mail.Address;
import dev.tern.policy.Verdict;
import dev.tern.policy.greylist.Greylist;
import dev.tern.smtp.protocol.Reply;

/**
 * The rate limits and the greylist for one {@link Session}: one call at connect, at MAIL and at RCPT, each
 * returning the reply that refuses, or null to go on. The decisions, counting and logging are the policy's
 * ({@code policy.ratelimit}, {@code policy.greylist}); this only says who the client is.
 */
final class Throttles {

    private final SessionSettings settings;
    private final Conversation conversation;
    private final SessionState state;
    /** The last refusal given, so the session can tell it from a client's error ({@link #deferred}). */
    private Reply last;

    Throttles(SessionSettings settings, Conversation conversation, SessionState state) {
        this.settings = settings;
        this.conversation = conversation;
        this.state = state;
    }

    /** A new connection to the MX: {@code 421 4.7.0} and close when its network connects too often. */
    Reply atConnect() {
        if (settings.rateLimits() == null || settings.role() != ListenerSettings.Role.MX) {
            return null;
        }
        Verdict verdict = settings.rateLimits().connection(conversation.clientInetAddress());
        return verdict == null ? null
                : Reply.closing(verdict.code(), verdict.enhanced(), settings.hostname() + " " + verdict.text());
    }

    /** A MAIL: {@code 450 4.7.1} when the client network, or the user, sends too many messages. */
    Reply atMail() {
        if (settings.rateLimits() == null) {
            return null;
        }
        return reply(settings.rateLimits().message(conversation.clientInetAddress(), state.authUser()));
    }

    /**
     * A RCPT that would otherwise be accepted: {@code 450 4.7.1} when there are too many recipients, then on
     * the MX the greylist's {@code 450 4.2.0}.
     */
    Reply atRcpt(Address sender, Address recipient) {
        if (settings.rateLimits() != null) {
            Reply limited = reply(settings.rateLimits().recipient(conversation.clientInetAddress(), state.authUser()));
            if (limited != null) {
                return limited;
            }
        }
        if (settings.greylist() == null || settings.role() != ListenerSettings.Role.MX) {
            return null;
        }
        return reply(settings.greylist().check(new Greylist.Request(conversation.clientInetAddress(), state.helo(),
                sender.key(), recipient.key(), state.authUser() != null, state.trusted(),
                state.vouchedBy())));
    }

    private Reply reply(Verdict verdict) {
        if (verdict == null) {
            return null;
        }
        last = Reply.of(verdict.code(), verdict.enhanced(), verdict.text());
        return last;
    }

    /**
     * Whether {@code reply} is the deferral this gave last. It does not count toward {@code max_errors}: a
     * message from a new network to 30 recipients is greylisted for all 30, not cut off after 20 errors, and
     * its retry then passes for all of them at once.
     */
    boolean deferred(Reply reply) {
        return reply != null && reply == last;
    }
}
