/** Password hashing and verification, constant-time; SASL mechanisms later. */
package dev.tern.auth;
