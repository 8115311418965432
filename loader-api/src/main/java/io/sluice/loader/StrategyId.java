package io.sluice.loader;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What identifies a {@link Sampler} or a {@link Sharding} in a saved {@link LoaderState}: a kind and its
 * parameters, as plain values that are the same in every JVM. A resumed loader must match them exactly.
 *
 * <p>The built-in strategies have short kinds ({@code shuffled}, {@code blocks} with {@code blockSize=...},
 * {@code byKey} ...). A strategy of your own gets its class name as kind and, if it is a record, its components as
 * parameters; override {@code id()} to say more. A lambda or an anonymous class has no name that is stable across
 * JVMs, so the loader refuses it at {@code build()}.
 *
 * @param kind a stable name
 * @param parameters the settings that change what the strategy does, in a stable order
 */
public record StrategyId(String kind, Map<String, String> parameters) {

  /** Validates and freezes the fields. */
  public StrategyId {
    Objects.requireNonNull(kind, "kind");
    if (kind.isBlank()) {
      throw new IllegalArgumentException("kind must not be blank");
    }
    parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** A kind with no parameters. */
  public static StrategyId of(String kind) {
    return new StrategyId(kind, Map.of());
  }

  /**
   * The default identity of a strategy object: its class name and, for a record, its components.
   *
   * @param role what the object is, for the message ("sampler", "sharding")
   * @throws IllegalArgumentException if the object is a lambda, an anonymous or a local class
   */
  static StrategyId ofObject(Object strategy, String role) {
    Class<?> type = strategy.getClass();
    if (type.isSynthetic() || type.isHidden() || type.isAnonymousClass() || type.isLocalClass()
        || type.getCanonicalName() == null) {
      throw new IllegalArgumentException("the " + role + " " + strategy + " is a lambda or an anonymous or local "
          + "class: its identity is not stable across JVMs, so a saved LoaderState could not be checked against it; "
          + "implement it as a named class or record (or override id())");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        try {
          c.getAccessor().setAccessible(true);
          parameters.put(c.getName(), String.valueOf(c.getAccessor().invoke(strategy)));
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalArgumentException("cannot read component " + c.getName() + " of " + role + " "
              + type.getName() + ": " + e, e);
        }
      }
    }
    return new StrategyId(type.getName(), parameters);
  }

  @Override
  public String toString() {
    return parameters.isEmpty() ? kind : kind + parameters;
  }
}
