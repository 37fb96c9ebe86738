/**
 * Immutable records of every setting with defaults in code, the TOML loader, and validation that names
 * the file, key and reason of anything refused.
 */
package dev.tern.config;
