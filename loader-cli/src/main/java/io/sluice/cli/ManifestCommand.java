package io.sluice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice manifest}: the commands that build and check manifests. */
@Command(name = "manifest", mixinStandardHelpOptions = true,
    description = {"Build, validate and describe channel manifests.", "",
        "Formats: SageMaker ManifestFile (manifest), AugmentedManifestFile JSON Lines (augmented), CSV with a "
            + "header (csv), plain key or URI lists (keys)."},
    subcommands = {BuildCommand.class, ValidateCommand.class, StatsCommand.class})
final class ManifestCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    return Main.usage(spec);
  }
}
