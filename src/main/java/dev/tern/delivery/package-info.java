/** Couriers that carry a queued message to its recipients: local mailboxes now, remote SMTP later. */
package dev.tern.delivery;
