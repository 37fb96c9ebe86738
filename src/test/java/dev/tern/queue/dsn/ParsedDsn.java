package dev.tern.queue.dsn;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** A delivery status notification parsed back with Jakarta Mail, as a mail client would read it. */
public final class ParsedDsn {

    public final MimeMessage message;
    public final MimeMultipart report;
    public final InternetHeaders perMessage;
    public final List<InternetHeaders> perRecipient;

    private ParsedDsn(MimeMessage message, MimeMultipart report, InternetHeaders perMessage,
                      List<InternetHeaders> perRecipient) {
        this.message = message;
        this.report = report;
        this.perMessage = perMessage;
        this.perRecipient = perRecipient;
    }

    public static ParsedDsn parse(byte[] content) throws MessagingException, IOException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(content));
        MimeMultipart report = (MimeMultipart) message.getContent();
        BodyPart status = report.getBodyPart(1);
        byte[] fields;
        try (InputStream in = status.getInputStream()) {
            fields = in.readAllBytes();
        }
        // RFC 3464 §2.1: groups of fields separated by empty lines, read like header sections
        InputStream in = new ByteArrayInputStream(fields);
        InternetHeaders perMessage = new InternetHeaders(in);
        List<InternetHeaders> perRecipient = new ArrayList<>();
        while (in.available() > 0) {
            InternetHeaders block = new InternetHeaders(in);
            if (block.getAllHeaders().hasMoreElements()) {
                perRecipient.add(block);
            }
        }
        return new ParsedDsn(message, report, perMessage, perRecipient);
    }

    public String text() throws MessagingException, IOException {
        return (String) report.getBodyPart(0).getContent();
    }

    public BodyPart returned() throws MessagingException {
        return report.getBodyPart(2);
    }

    public String returnedText() throws MessagingException, IOException {
        try (InputStream in = returned().getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static String field(InternetHeaders h, String name) {
        return h.getHeader(name, null);
    }
}
