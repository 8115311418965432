package io.sluice.cli;

import io.sluice.loader.SluiceException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code sluice} command line: {@code manifest build|validate|stats}, {@code inspect} and {@code bench}.
 *
 * <p>{@code mvn package} builds {@code loader-cli/target/sluice.jar}; run it with {@code java -jar}. Parsing,
 * help, usage errors and shell completion come from picocli. Exit status: 0 success, 1 the command failed or
 * found problems, 2 a bad command line.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Build and check manifests, look at a transform chain's output, and measure how fast a "
        + "manifest's objects arrive.",
    subcommands = {ManifestCommand.class, InspectCommand.class, BenchCommand.class, GenerateCompletion.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:success", "1:the command failed, or found problems (validate)", "2:bad command line"},
    footer = {"", "Run 'sluice COMMAND --help' for a command's options.",
        "Shell completion (bash, zsh): source <(sluice generate-completion)"})
public final class Main implements Callable<Integer> {
  /** A bad command line. */
  static final int USAGE = 2;
  /** The command failed or found problems. */
  static final int FAILED = 1;

  private final PrintStream out;
  private final PrintStream err;

  @Spec
  CommandSpec spec;

  private Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    int status = run(List.of(args), System.out, System.err);
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  /**
   * Runs a command line.
   *
   * @return 0 on success, 1 when the command found problems or failed, 2 for a bad command line
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return commandLine(out, err).execute(args.toArray(String[]::new));
  }

  /** The whole command tree, writing to {@code out} and {@code err}. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine line = new CommandLine(new Main(out, err));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    line.setParameterExceptionHandler(Main::badCommandLine);
    line.setExecutionExceptionHandler((e, commandLine, parsed) -> failed(e, commandLine));
    return line;
  }

  /** The streams of the command tree {@code spec} belongs to. */
  static PrintStream out(CommandSpec spec) {
    return ((Main) spec.root().userObject()).out;
  }

  static PrintStream err(CommandSpec spec) {
    return ((Main) spec.root().userObject()).err;
  }

  /** A command that needs a subcommand was given none: its usage, and a usage status. */
  static int usage(CommandSpec spec) {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  @Override
  public Integer call() {
    return usage(spec);
  }

  private static int badCommandLine(ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    PrintWriter err = line.getErr();
    err.println("sluice: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + line.getCommandSpec().qualifiedName() + " --help' for usage.");
    return USAGE;
  }

  private static int failed(Exception e, CommandLine line) {
    PrintWriter err = line.getErr();
    if (e instanceof UsageException) {
      err.println("sluice: " + e.getMessage());
      err.println("Run '" + line.getCommandSpec().qualifiedName() + " --help' for usage.");
      return USAGE;
    }
    if (e instanceof SluiceException) {
      err.println("sluice: " + e.getMessage());
    } else if (e instanceof IOException || e instanceof UncheckedIOException) {
      err.println("sluice: " + (e instanceof UncheckedIOException u ? u.getCause() : e));
    } else {
      err.println("sluice: internal error, please report it: " + e);
      e.printStackTrace(err);
    }
    return FAILED;
  }

  /** The version the jar's manifest records. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"sluice " + (v == null ? "(development build)" : v)};
    }
  }
}
