/**
 * The tern command line: the root command with domain, user, alias, config, check, dns and bench subcommands
 * here; serve is added by the application.
 */
package dev.tern.admin;
