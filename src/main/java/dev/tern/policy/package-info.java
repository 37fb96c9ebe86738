/** Checks by SMTP stage that return a verdict (accept, temporary or permanent refusal with its reply): recipient validation, relay rules. */
package dev.tern.policy;
