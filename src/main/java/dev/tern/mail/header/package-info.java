/**
 * The RFC 5322 message-header vocabulary every consumer shares: the one address-list parser (§3.4, with the
 * §4.4 obsolete forms), so that DMARC and {@code sendmail -t} read a From or To field the same way. JDK only.
 */
package dev.tern.mail.header;
