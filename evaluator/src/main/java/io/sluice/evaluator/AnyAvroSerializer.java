package io.sluice.evaluator;

import io.sluice.schemas.Topic;
import io.sluice.schemas.Topics;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One transactional producer writes reports, decisions and registry entries; this serializer picks
 * each topic's own catalog serde, so a value can never go out under another topic's schema.
 */
final class AnyAvroSerializer implements Serializer<Object> {
  @Override
  @SuppressWarnings("unchecked")
  public byte[] serialize(String topic, Object value) {
    Topic<String, Object> t =
        (Topic<String, Object>)
            Topics.byName(topic)
                .orElseThrow(() -> new IllegalArgumentException("not a catalog topic: " + topic));
    if (value != null) {
      return t.valueSerde().serializer().serialize(topic, value);
    }
    return null;
  }
}
