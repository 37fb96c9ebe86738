package dev.tern.policy.dmarc;

import java.util.random.RandomGenerator;

/** A "random" generator whose every draw below a bound is the same number, for the pct sample. */
final class FixedDraw implements RandomGenerator {

    private final int draw;
    private int draws;

    FixedDraw(int draw) {
        this.draw = draw;
    }

    int draws() {
        return draws;
    }

    @Override
    public int nextInt(int bound) {
        draws++;
        return draw;
    }

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("only nextInt(bound) is expected");
    }
}
