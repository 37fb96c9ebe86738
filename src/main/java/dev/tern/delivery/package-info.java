/** Couriers that carry a queued message to its recipients: local mailboxes, remote servers over SMTP ({@code delivery.smtp}), and the router between them. */
package dev.tern.delivery;
