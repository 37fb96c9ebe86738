package dev.tern.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every leaf command working on a data directory shares: its picocli spec (for output) and the
 * {@code --data}/{@code --config} options. picocli injects annotated fields of superclasses too.
 */
abstract class DataSubcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;
}
