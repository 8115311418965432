package io.sluice.spark;

import io.sluice.loader.store.ObjectStore;
import java.io.Serializable;

/**
 * Creates the {@link ObjectStore} an executor reads from: settings that travel to executors, never a client.
 *
 * <p>For a provider that is a value ({@link S3StoreSettings} or a record), each executor JVM creates one store per
 * distinct provider and keeps it for the life of the JVM. Any other provider (a lambda) gets a store per task, closed
 * when the task ends. {@code toString()} must not reveal credentials.
 */
@FunctionalInterface
public interface StoreProvider extends Serializable {

  /** A new store; the caller owns and closes it. */
  ObjectStore create();
}
