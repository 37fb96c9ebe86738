/** Users, aliases, domains and mailboxes (Maildir) behind interfaces, with a file-based embedded backend. */
package dev.tern.store;
