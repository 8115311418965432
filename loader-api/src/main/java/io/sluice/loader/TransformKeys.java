package io.sluice.loader;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Stable identities of transform chains, for naming cached samples across runs and JVMs. */
public final class TransformKeys {
  /**
   * The version of the steps' arithmetic mixed into every {@link #cacheKey}; raised whenever a step's output
   * changes for the same description, so stale cached samples are not reused.
   */
  public static final int KEY_VERSION = 2;

  /** What {@code Object.toString()} and lambdas print: a class name and an identity hash. */
  private static final Pattern UNSTABLE = Pattern.compile("[\\w$.]+@[0-9a-f]{1,8}\\b|\\$\\$Lambda|\\$Lambda");

  private TransformKeys() {}

  /**
   * A stable identity for a chain: the SHA-256, as 64 hex digits, of its canonical description (its
   * {@code toString()}, e.g. {@code decode(3 channels) -> randomResizedCrop(...) -> ...}) and {@link #KEY_VERSION}.
   *
   * <p>Two chains have the same key when they are built from equal steps with equal settings, in this JVM or
   * another. A step of your own must override {@code toString()} with a description of every setting that changes
   * its output.
   *
   * @throws IllegalArgumentException if the description contains an identity hash or a lambda's name (a step
   *     without its own {@code toString()}), which would differ from run to run
   */
  public static String cacheKey(Transform<?, ?> chain) {
    Objects.requireNonNull(chain, "chain");
    String description = chain.toString();
    Matcher unstable = UNSTABLE.matcher(description);
    if (unstable.find()) {
      throw new IllegalArgumentException("the chain's description is not stable ('" + unstable.group()
          + "' differs from run to run); give that step a toString() describing its settings: " + description);
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
    byte[] digest = sha.digest(("sluice-transforms/" + KEY_VERSION + "\n" + description)
        .getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest);
  }
}
