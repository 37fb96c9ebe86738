/**
 * Message authentication at the end of DATA: SPF, DKIM and DMARC for received mail, with their DNS lookups run
 * side by side, and DKIM signing of our users' mail; one pass over the message for either.
 */
package dev.tern.policy.mailauth;
