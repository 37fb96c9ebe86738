/**
 * Authentication: SASL mechanisms for SMTP AUTH (PLAIN, LOGIN, SCRAM-SHA-256), password hashing and
 * verifiers, equal treatment of unknown users, and throttling of failed attempts.
 */
package dev.tern.auth;
