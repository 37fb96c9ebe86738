/**
 * Rate limits, like Postfix's anvil: connections, messages and recipients per client network and per
 * authenticated user within a window, kept in memory with a fixed bound ({@link dev.tern.policy.ratelimit.RateLimits}).
 */
package dev.tern.policy.ratelimit;
