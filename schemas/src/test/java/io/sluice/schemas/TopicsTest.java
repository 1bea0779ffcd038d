package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void shouldListEveryTopicOnceWithValidNames() {
    Set<String> names = new LinkedHashSet<>();
    for (var topic : Topics.ALL) {
      Topic.validate(topic.name());
      assertThat(names.add(topic.name())).as("duplicate %s", topic.name()).isTrue();
      assertThat(Topics.byName(topic.name())).contains(topic);
    }
    assertThat(names)
        .containsExactly(
            "sluice.events.raw",
            "sluice.events.rejected",
            "sluice.examples.curated",
            "sluice.drift",
            "sluice.adapters.candidates",
            "sluice.adapters.evaluations",
            "sluice.adapters.decisions",
            "sluice.adapters.registry");
  }

  @Test
  void shouldCompactTheRegistry() {
    assertThat(Topics.ADAPTERS_REGISTRY.configs())
        .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
  }

  @Test
  void shouldLetDataTopicsHoldRecordsLargerThanTheDefaultOneMebibyte() {
    for (var topic :
        java.util.List.of(Topics.EVENTS_RAW, Topics.EVENTS_REJECTED, Topics.EXAMPLES_CURATED)) {
      assertThat(Integer.parseInt(topic.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)))
          .as(topic.name())
          .isEqualTo(Topics.MAX_RECORD_BYTES)
          .isGreaterThan(2 * 1024 * 1024);
    }
  }

  @Test
  void shouldKeyByTenantAndTrack() {
    assertThat(Topics.trackKey("acme", "support-bot")).isEqualTo("acme/support-bot");
  }
}
