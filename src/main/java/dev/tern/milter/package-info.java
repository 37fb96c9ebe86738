/**
 * The milter client: the Sendmail mail filter protocol, version 6, as Postfix speaks it (packets, option
 * negotiation, macros, the replies and the modification actions), so rspamd, OpenDKIM, clamav-milter and the
 * like can filter Tern's mail. It owns the connections to the filters and the editing of a message by their
 * changes; the SMTP session decides what their verdicts mean for the client.
 */
package dev.tern.milter;
