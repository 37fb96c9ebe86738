/**
 * The tern command line: the root command with domain, user, alias, config and dns subcommands here; serve and
 * bench are added by the application.
 */
package dev.tern.admin;
