package io.sluice.app;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a service that trains or evaluates adapters finds the adapter store and the base model:
 * {@code --adapter-store} and {@code --base}, setting the service's {@code .adapter.store} and
 * {@code .base.dir} keys.
 */
public final class ModelStoreOptions {

  @Option(
      names = "--adapter-store",
      paramLabel = "DIR",
      description = "Adapter store directory; sets ${COMMAND-NAME}.adapter.store.")
  Path adapterStore;

  @Option(
      names = "--base",
      paramLabel = "DIR",
      description =
          "Base model directory; sets ${COMMAND-NAME}.base.dir (default: the bundled sluice-tiny).")
  Path base;

  /** Sets the keys of the options that were given. */
  public void putInto(Map<String, String> overrides, String adapterStoreKey, String baseDirKey) {
    ServiceOptions.putGiven(overrides, adapterStoreKey, adapterStore);
    ServiceOptions.putGiven(overrides, baseDirKey, base);
  }
}
