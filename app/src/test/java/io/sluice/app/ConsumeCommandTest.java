package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.Topic;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.Lineage;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class ConsumeCommandTest {

  @Test
  void shouldRenderDecodedRecordAsOneJsonLine() {
    AvroSerde<Lineage> serde = AvroSerde.of(Lineage.class);
    byte[] value = serde.serialize("t", new Lineage("x", 1, 2L));
    Topic<String, Lineage> topic = new Topic<>("t", 1, Map.of(), Serdes.String(), serde);

    String line = ConsumeCommand.render(topic, new ConsumerRecord<>("t", 3, 7L, "k", value));

    assertThat(line)
        .isEqualTo(
            "{\"partition\":3,\"offset\":7,\"key\":\"k\",\"value\":{\"topic\":\"x\",\"partition\":1,\"offset\":2}}");
  }

  @Test
  void shouldRenderUndecodableRecordWithItsErrorInsteadOfFailing() {
    String line =
        ConsumeCommand.render(
            Topics.EVENTS_RAW,
            new ConsumerRecord<>("sluice.events.raw", 0, 1L, "k", "junk".getBytes()));

    assertThat(line)
        .startsWith("{\"partition\":0,\"offset\":1,\"key\":\"k\",\"error\":")
        .contains("not Avro single-object encoded");
  }
}
