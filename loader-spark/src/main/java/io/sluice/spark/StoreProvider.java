package io.sluice.spark;

import io.sluice.loader.store.ObjectStore;
import java.io.Serializable;

/**
 * Creates the {@link ObjectStore} an executor reads from: settings that travel to executors, never a client.
 *
 * <p>Each executor JVM creates one store per distinct provider ({@code equals}) and keeps it for the life of the
 * JVM, so a provider should be a value (a record, {@link S3StoreSettings}); a lambda works but is created once
 * per task deserialisation. {@code toString()} must not reveal credentials.
 */
@FunctionalInterface
public interface StoreProvider extends Serializable {

  /** A new store; the caller owns and closes it. */
  ObjectStore create();
}
