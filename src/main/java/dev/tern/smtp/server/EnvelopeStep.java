package dev.tern.smtp.server;

import dev.tern.mail.Address;
import dev.tern.mail.AddressException;
import dev.tern.mail.Domain;
import dev.tern.mail.Recipient;
import dev.tern.observe.MailLog;
import dev.tern.policy.RecipientPolicy;
import dev.tern.policy.Verdict;
import dev.tern.policy.rules.Decision;
import dev.tern.policy.rules.Facts;
import dev.tern.policy.screen.Screening;
import dev.tern.smtp.protocol.Command;
import dev.tern.smtp.protocol.MailParameters;
import dev.tern.smtp.protocol.Paths;
import dev.tern.smtp.protocol.Replies;
import dev.tern.smtp.protocol.Reply;

/**
 * The envelope of a transaction, MAIL and RCPT: the syntax and limits first, then who may send and to whom
 * (sender identity, recipient directory and relay control, the operator's rules), then the throttles, the
 * screen's right-hand-side lists and the milters. Cheap local checks go before the ones that cost a round trip.
 * Shares the session's {@link SessionState} and {@link Conversation}, as {@link MessageReception} does.
 */
final class EnvelopeStep {

    private final SessionSettings settings;
    private final Conversation conversation;
    private final SessionState state;
    private final RecipientPolicy recipients;
    private final Throttles throttles;
    private final MilterStep milters;
    /** The MX listener's screen of this client, or null for none. */
    private final Screening screening;

    EnvelopeStep(SessionSettings settings, Conversation conversation, SessionState state, RecipientPolicy recipients,
                 Throttles throttles, MilterStep milters, Screening screening) {
        this.settings = settings;
        this.conversation = conversation;
        this.state = state;
        this.recipients = recipients;
        this.throttles = throttles;
        this.milters = milters;
        this.screening = screening;
    }

    /** MAIL (RFC 5321 §4.1.1.2): the sender's checks in order of cost, then the transaction begins. */
    Reply mail(Command.Mail command, Facts facts) {
        if (state.helo() == null) {
            return Replies.SEND_HELO_FIRST;
        }
        if (state.transaction() != null) {
            return Replies.NESTED_MAIL;
        }
        String authUser = state.authUser();
        if (settings.isSubmission() && authUser == null) {
            return Reply.of(530, "5.7.0", "Authentication required"); // RFC 4954 §6, RFC 6409 §4.3
        }
        if (!state.extended() && !command.params().isEmpty()) {
            return Reply.of(555, "5.5.4", "ESMTP parameters need EHLO");
        }
        MailParameters.MailOptions options;
        Address sender;
        try {
            // REQUIRETLS only under TLS (RFC 8689 §2), checked after every parameter's syntax
            options = MailParameters.mail(command.params(), conversation.tls() != null);
            sender = Paths.parse(command.path(), true, options.smtputf8());
        } catch (MailParameters.Refused refused) {
            return refused.reply();
        } catch (AddressException e) {
            return addressRefused(e, "5.1.7", "sender");
        }
        if (options.declaredSize() > settings.limits().maxMessageSize()) {
            return Replies.MESSAGE_TOO_BIG;
        }
        if (authUser != null) {
            Verdict identity = settings.senders().check(authUser, sender);
            if (!identity.accepted()) {
                Reply reply = Reply.of(identity.code(), identity.enhanced(), identity.text());
                MailLog.event(null, "rejected").with("client", conversation.clientAddress()).with("stage", "MAIL")
                        .with("user", authUser).address("from", sender).with("reply", reply.summary()).log();
                return reply;
            }
        }
        Facts mailFacts = facts.withMail(authUser, sender);
        Decision decision = settings.rules().atMail(mailFacts);
        if (decision.refuses()) {
            logRule("MAIL", decision, sender, null);
            return Reply.of(decision.code(), decision.enhanced(), decision.text());
        }
        Reply limited = throttles.atMail();
        if (limited != null) {
            return limited;
        }
        // The milters last: the local checks cost nothing, a milter a round trip.
        Transaction started = new Transaction(sender, options, mailFacts);
        Reply refused = milters.mail(sender, command.params(), started);
        if (refused != null) {
            return refused;
        }
        state.begin(started);
        return Replies.SENDER_OK;
    }

    /** RCPT (RFC 5321 §4.1.1.3): the recipient's checks in order of cost, then it joins the transaction. */
    Reply rcpt(Command.Rcpt command) {
        Transaction transaction = state.transaction();
        if (transaction == null) {
            return state.helo() == null ? Replies.SEND_HELO_FIRST : Replies.NEED_MAIL;
        }
        Address address;
        MailParameters.RcptOptions options;
        try {
            options = MailParameters.rcpt(command.params());
            address = recipientAddress(command.path(), transaction);
        } catch (MailParameters.Refused refused) {
            return refused.reply();
        } catch (AddressException e) {
            return addressRefused(e, "5.1.3", "recipient");
        }
        if (transaction.recipients.size() >= settings.limits().maxRecipients()) {
            return Replies.TOO_MANY_RECIPIENTS;
        }
        Verdict listed = screening == null || state.mayRelay() ? Verdict.ACCEPT
                : screening.atRcpt(state.helo(), transaction.sender, address);
        if (!listed.accepted()) {
            transaction.recipientRefused = true;
            return Reply.of(listed.code(), listed.enhanced(), listed.text());
        }
        Verdict verdict = recipients.check(address, state.mayRelay());
        if (!verdict.accepted()) {
            transaction.recipientRefused = true;
            Reply reply = Reply.of(verdict.code(), verdict.enhanced(), verdict.text());
            MailLog.event(null, "rejected").with("client", conversation.clientAddress()).with("stage", "RCPT")
                    .address("from", transaction.sender).address("to", address).with("reply", reply.summary()).log();
            return reply;
        }
        Decision decision = settings.rules().atRcpt(transaction.facts.withRecipient(address));
        if (decision.refuses()) {
            transaction.recipientRefused = true;
            logRule("RCPT", decision, transaction.sender, address);
            return Reply.of(decision.code(), decision.enhanced(), decision.text());
        }
        Reply limited = throttles.atRcpt(transaction.sender, address);
        if (limited != null) {
            transaction.recipientRefused = true;
            return limited;
        }
        Reply refused = milters.rcpt(address, command.params(), transaction);
        if (refused != null) {
            transaction.recipientRefused = true;
            return refused;
        }
        if (decision.action() == Decision.Action.HOLD && transaction.holdReason == null) {
            logRule("RCPT", decision, transaction.sender, address);
            transaction.holdReason = decision.holdReason();
        }
        transaction.recipients.add(new Recipient(address, options.notifyOn(), options.orcpt()));
        return Replies.RECIPIENT_OK;
    }

    /** {@code <Postmaster>} without a domain must be accepted (RFC 5321 §4.1.1.3, §4.5.1). */
    private Address recipientAddress(String path, Transaction transaction) throws AddressException {
        if (path.equalsIgnoreCase("postmaster")) {
            return new Address(path, Domain.of(settings.postmasterDomain()));
        }
        return Paths.parse(path, false, transaction.options.smtputf8());
    }

    private static Reply addressRefused(AddressException e, String enhanced, String which) {
        if (e.getMessage().startsWith("non-ASCII")) {
            return Replies.NON_ASCII_ADDRESS;
        }
        return Reply.of(553, enhanced, "Bad " + which + " address syntax: " + e.getMessage());
    }

    private void logRule(String stage, Decision decision, Address from, Address to) {
        logRule(conversation.clientAddress(), stage, decision, from, to);
    }

    /** A rule's refusal or hold, in the mail log. */
    static void logRule(String client, String stage, Decision decision, Address from, Address to) {
        MailLog.event(null, decision.action() == Decision.Action.HOLD ? "hold" : "rejected")
                .with("client", client).with("stage", stage).address("from", from)
                .address("to", to).with("rule", decision.rule()).with("reply", decision.refuses() ? decision.reply() : null)
                .log();
    }
}
