/** Small safe-I/O helpers: atomic write (temp, fsync, rename, fsync directory) and bounded streams. */
package dev.tern.io;
