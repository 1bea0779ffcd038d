package io.sluice.ui;

import io.sluice.ingest.ApiKeys;
import java.util.Optional;

/**
 * Who is looking: with no keys configured, anyone sees every tenant; otherwise the holder of a key
 * sees the tenants its grant names (ingest's scheme: a key for tenant a sees only a).
 *
 * @param grant the presented key's grant; empty when the UI is open
 */
public record Viewer(Optional<ApiKeys.Grant> grant) {

  /** The viewer of a UI without keys. */
  public static final Viewer OPEN = new Viewer(Optional.empty());

  public boolean sees(String tenant) {
    return grant.map(g -> g.allows(tenant)).orElse(true);
  }

  public boolean isOpen() {
    return grant.isEmpty();
  }
}
