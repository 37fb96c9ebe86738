package dev.tern.auth;

/**
 * What a mechanism asks once it knows the login and before it checks the password or proof: may this check
 * run now? A refusal is thrown as {@link CheckRefused}, which the throttled wrapper turns into a temporary
 * failure ({@code 454 4.7.0}, RFC 4954 §6). Asking first is what counts the attempt before its result is
 * known, so parallel connections cannot each slip a guess in while the slow checks run.
 */
@FunctionalInterface
interface CheckGate {

    /** A gate that admits every check: for tests of a mechanism alone. */
    CheckGate OPEN = login -> { };

    /**
     * Admits one check of {@code login}, or refuses it.
     *
     * @throws CheckRefused when the check may not run now
     */
    void admit(String login);
}
