/**
 * Small safe-I/O helpers: atomic write (temp, fsync, rename, fsync directory), bounded streams, and group commit
 * ({@code GroupSync}: concurrent writers share one fsync without any returning before one that began after its
 * write).
 */
package dev.tern.io;
