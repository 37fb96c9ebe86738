/**
 * The RFC 5322 message-header vocabulary every consumer shares: the one header block ({@link
 * dev.tern.mail.header.HeaderBlock}, fields keeping their raw octets, offsets and unfolded UTF-8 values), read by
 * DKIM, DMARC, bounces, submission fix-ups and {@code sendmail}; and the one address-list parser (§3.4, with the
 * §4.4 obsolete forms), so that DMARC and {@code sendmail -t} read a From or To field the same way; and the
 * {@code TLS-Required} field of RFC 8689 ({@link dev.tern.mail.header.TlsRequiredField}). JDK only.
 */
package dev.tern.mail.header;
