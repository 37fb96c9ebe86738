package dev.tern.milter;

import java.util.List;

/** A modification a milter asked for at the end of a message (libmilter's {@code smfi_*} calls). */
public sealed interface Change {

    /** SMFIR_ADDHEADER: a field after the last one. */
    record AddHeader(String name, String value) implements Change {
    }

    /** SMFIR_INSHEADER: a field before the {@code index}th (0 is the top; past the end appends). */
    record InsertHeader(int index, String name, String value) implements Change {
    }

    /**
     * SMFIR_CHGHEADER: the {@code index}th (from 1) field named {@code name} gets this value; an empty value
     * deletes it, and an index past the last such field adds one (as Sendmail and Postfix do).
     */
    record ChangeHeader(int index, String name, String value) implements Change {
    }

    /** SMFIR_CHGFROM: a new envelope sender, with its ESMTP arguments. */
    record ChangeSender(String address, List<String> args) implements Change {
    }

    /** SMFIR_ADDRCPT / SMFIR_ADDRCPT_PAR: one more envelope recipient. */
    record AddRecipient(String address, List<String> args) implements Change {
    }

    /** SMFIR_DELRCPT: removes the envelope recipient given as the milter saw it in RCPT. */
    record DeleteRecipient(String address) implements Change {
    }
}
