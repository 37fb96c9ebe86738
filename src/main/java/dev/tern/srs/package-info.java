/**
 * The Sender Rewriting Scheme as postsrsd and libsrs2 write it: the envelope sender of a forwarded message
 * rewritten into an address of ours ({@code SRS0=HHHH=TT=domain=local@ours}, {@code SRS1} for an address that
 * was already rewritten), so that SPF checks at the next server pass, and bounces come back here to be
 * verified and sent on to the original sender.
 */
package dev.tern.srs;
