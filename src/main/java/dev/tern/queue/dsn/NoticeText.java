package dev.tern.queue.dsn;

import java.util.List;

/** The human-readable first part of a report (RFC 6522 §3): what happened, to whom, why, and what to do. */
final class NoticeText {

    private NoticeText() {
    }

    static String of(Notice notice, String hostname, boolean fullReturned) {
        StringBuilder t = new StringBuilder(1024);
        t.append("This is the mail system at ").append(hostname).append(".\r\n\r\n");
        switch (notice.kind()) {
            case FAILURE -> t.append("Your message could not be delivered to one or more recipients.\r\n")
                    .append("The mail system gave up on the recipients below; the reason is given for each.\r\n");
            case DELAY -> t.append("Your message has not been delivered yet to the recipients below.\r\n")
                    .append("It is still in the queue and delivery will be tried again until the time given\r\n")
                    .append("below. You do not need to send it again; another notice comes only if it fails.\r\n");
            case SUCCESS -> t.append("Your message was delivered to the recipients below, as you asked.\r\n");
            case POSTMASTER_COPY -> t.append("A delivery status notification (a bounce) could not be delivered\r\n")
                    .append("to its recipient. This copy goes to the postmaster.\r\n"); // what is attached: below
        }
        t.append("\r\n");
        for (ReportedRecipient r : notice.recipients()) {
            recipient(t, r);
        }
        t.append(advice(notice.kind(), notice.recipients(), fullReturned));
        return t.toString();
    }

    private static void recipient(StringBuilder t, ReportedRecipient r) {
        t.append("<").append(DsnFields.clean(r.recipient().address().toString())).append(">: ");
        switch (r.action()) {
            case DELIVERED -> t.append("delivered to the mailbox.\r\n");
            case RELAYED -> t.append("handed on to ").append(r.remoteMta() == null ? "the next mail server"
                    : r.remoteMta()).append(", which sends no delivery reports;\r\n    no further notice will come.\r\n");
            case DELAYED -> t.append("not delivered yet (status ").append(r.status()).append(").\r\n")
                    .append(reason(r)).append("    Delivery is tried again until ")
                    .append(DsnFields.date(r.willRetryUntil())).append(".\r\n");
            case FAILED -> t.append("delivery failed (status ").append(r.status()).append(").\r\n").append(reason(r));
        }
        t.append("\r\n");
    }

    private static String reason(ReportedRecipient r) {
        if (r.diagnostic() == null) {
            return "";
        }
        String who = r.remoteMta() != null ? "    The mail server " + r.remoteMta() + " replied:\r\n" : "    Reason:\r\n";
        return who + "        " + DsnFields.clean(r.diagnostic()) + "\r\n";
    }

    private static String advice(Notice.Kind kind, List<ReportedRecipient> recipients, boolean full) {
        String attached = full ? "The original message is attached.\r\n"
                : "The headers of the original message are attached.\r\n";
        if (kind != Notice.Kind.FAILURE) {
            return attached;
        }
        boolean remote = recipients.stream().anyMatch(r -> r.remoteMta() != null);
        return "What you can do: check each address above for typing mistakes."
                + (remote ? " Where a remote server\r\nreplied, its reply says why it refused the message." : "")
                + "\r\nIf the problem persists, forward this notice to your postmaster.\r\n\r\n" + attached;
    }
}
