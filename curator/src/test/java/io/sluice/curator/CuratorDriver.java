package io.sluice.curator;

import java.nio.file.Path;
import java.time.Instant;

/** The curator's topology tests run {@link OfflineTopology} from one fixed wall-clock time. */
final class CuratorDriver {

  static final Instant WALL_CLOCK = Instant.parse("2025-03-02T00:00:00Z");

  private CuratorDriver() {}

  static OfflineTopology start(CuratorConfig config, Path stateDir) {
    return new OfflineTopology(config, stateDir, WALL_CLOCK);
  }
}
