/**
 * The one gateway to DNS: MX, A, AAAA, TXT, TLSA and PTR lookups whose results keep an answer, a name that does not
 * exist, a name without records of the type, and a temporary failure apart, plus the RFC 5321 §5.1 MX walk.
 */
package dev.tern.dns;
