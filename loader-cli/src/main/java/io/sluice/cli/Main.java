package io.sluice.cli;

import io.sluice.loader.SluiceException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The {@code sluice} command line: {@code sluice manifest build|validate|stats}, each with {@code --help}.
 *
 * <p>From a fresh clone, run it with {@code mvn -q -pl loader-cli -am compile -Dsluice="manifest --help"}: the
 * {@code sluice} profile of {@code loader-cli/pom.xml} runs this class at the end of compile.
 */
public final class Main {
  static final String HELP = """
      Usage: sluice manifest <command> [options]

      Commands:
        build     make train / validation / test manifests, a label map and a summary from an S3 listing
        validate  check manifests: every line, duplicates, labels, leakage between channels, the objects
        stats     what a manifest holds: format, digest, entries per class per channel

      Formats: SageMaker ManifestFile (manifest), AugmentedManifestFile JSON Lines (augmented), CSV with a
      header (csv), plain key or URI lists (keys). Run 'sluice manifest <command> --help' for the options.
      """;

  private Main() {}

  /** Runs the command line and exits with its status when that is not 0. */
  public static void main(String[] args) {
    int status = run(List.of(args), System.out, System.err);
    System.out.flush();
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs a command line.
   *
   * @return 0 on success, 1 when the command found problems or failed, 2 for a bad command line
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    try {
      if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
        out.print(HELP);
        return args.isEmpty() ? 2 : 0;
      }
      if (!args.get(0).equals("manifest")) {
        throw new UsageException("unknown command '" + args.get(0) + "': expected 'manifest'");
      }
      if (args.size() == 1 || args.get(1).equals("--help") || args.get(1).equals("-h")) {
        out.print(HELP);
        return args.size() == 1 ? 2 : 0;
      }
      List<String> rest = args.subList(2, args.size());
      return switch (args.get(1)) {
        case "build" -> BuildCommand.run(rest, out, err);
        case "validate" -> ValidateCommand.run(rest, out, err);
        case "stats" -> StatsCommand.run(rest, out, err);
        default -> throw new UsageException("unknown manifest command '" + args.get(1)
            + "': expected build, validate or stats");
      };
    } catch (UsageException e) {
      err.println("sluice: " + e.getMessage());
      err.println("Run 'sluice manifest --help' for usage.");
      return 2;
    } catch (SluiceException e) {
      err.println("sluice: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("sluice: " + e);
      return 1;
    }
  }
}
