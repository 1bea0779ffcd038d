package io.sluice.trainer;

import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterRef;
import io.sluice.schemas.avro.RegistryEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The current champion of a track, read from the registry topic (the only source of truth). */
final class Champions {
  private Champions() {}

  static Optional<AdapterRef> current(Map<String, Object> clientProperties, String trackKey) {
    Map<String, RegistryEntry> latest = new HashMap<>();
    TopicSnapshot.read(
        clientProperties,
        Topics.ADAPTERS_REGISTRY,
        entry -> latest.put(Topics.trackKey(entry.getTenant(), entry.getTrack()), entry));
    return Optional.ofNullable(latest.get(trackKey)).map(RegistryEntry::getActive);
  }
}
