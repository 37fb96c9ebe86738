/** The tern command line: serve, domain, user, alias, bench. */
package dev.tern.admin;
