package dev.tern.policy.screen;

import java.io.IOException;

/** The connection as the screen sees it before the 220: a line out, and whatever the client already sent. */
public interface Greeting {

    /** Sends {@code 220-text} and flushes it: the first line of a multiline greeting (postscreen_greet_banner). */
    void continuation(String text) throws IOException;

    /**
     * What the client has sent so far, at most {@code max} octets, without waiting for more; empty when it
     * has sent nothing.
     */
    byte[] pending(int max) throws IOException;
}
