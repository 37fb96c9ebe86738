/** Test support: the mail log's lines collected while a test runs, one helper for every package. */
package dev.tern.testlog;
