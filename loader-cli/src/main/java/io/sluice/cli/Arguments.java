package io.sluice.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The options and operands of one command line: {@code --name value}, {@code --name=value} and {@code --flag}. */
final class Arguments {
  private final Map<String, String> values;
  private final List<String> operands;

  private Arguments(Map<String, String> values, List<String> operands) {
    this.values = values;
    this.operands = operands;
  }

  /**
   * Parses {@code args}.
   *
   * @param valued the options that take a value, without {@code --}
   * @param flags the options that take none
   * @throws UsageException naming the option when it is unknown, lacks its value or is given twice
   */
  static Arguments parse(List<String> args, Set<String> valued, Set<String> flags) {
    Map<String, String> values = new HashMap<>();
    List<String> operands = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (optionsEnded || !arg.startsWith("--")) {
        operands.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      String value;
      if (flags.contains(name)) {
        if (eq >= 0) {
          throw new UsageException("option --" + name + " takes no value, was given '" + arg.substring(eq + 1) + "'");
        }
        value = "true";
      } else if (valued.contains(name)) {
        if (eq >= 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new UsageException("option --" + name + " needs a value");
        }
      } else {
        throw new UsageException("unknown option '" + arg + "'");
      }
      if (values.put(name, value) != null) {
        throw new UsageException("option --" + name + " is given twice");
      }
    }
    return new Arguments(values, operands);
  }

  /** The value of option {@code name}, or {@code null}. */
  String value(String name) {
    return values.get(name);
  }

  String value(String name, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  /** The arguments that are not options, in order. */
  List<String> operands() {
    return operands;
  }

  /**
   * The value of option {@code name} as an int, or {@code otherwise}.
   *
   * @throws UsageException naming the option and the value if it is not an integer in range
   */
  int intValue(String name, int otherwise, int min) {
    String v = values.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("option --" + name + " must be an integer " + min + " or more, was '" + v + "'");
  }

  /**
   * The value of option {@code name} as a long, or {@code otherwise}.
   *
   * @throws UsageException naming the option and the value if it is not an integer
   */
  long longValue(String name, long otherwise) {
    String v = values.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("option --" + name + " must be an integer, was '" + v + "'");
    }
  }
}
