package io.sluice.app;

import io.sluice.schemas.AvroJson;
import io.sluice.schemas.Topic;
import io.sluice.schemas.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice consume}: prints a topic's records as JSON lines, decoded with the catalog's
 * schema. A debugging tool: it never commits offsets and reads only committed transactions.
 */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = "Print a topic's records as decoded JSON lines (kcat-style debugging).")
public final class ConsumeCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--topic",
      required = true,
      description = "A catalog topic, e.g. sluice.events.raw.")
  String topicName;

  @Option(
      names = "--from-beginning",
      description = "Start at the earliest offset instead of the end.")
  boolean fromBeginning;

  @Option(
      names = "--max-messages",
      defaultValue = "-1",
      description = "Stop after this many records (default: no limit).")
  long maxMessages;

  @Option(
      names = "--timeout-ms",
      defaultValue = "-1",
      description = "Stop after this long with no new record (default: wait forever).")
  long timeoutMs;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Topic<String, ?> topic =
        Topics.byName(topicName)
            .orElseThrow(
                () ->
                    new CommandLine.ParameterException(
                        spec.commandLine(),
                        "unknown topic '"
                            + topicName
                            + "'; catalog topics: "
                            + Topics.ALL.stream().map(Topic::name).toList()));
    long printed = consume(topic, System.out);
    System.err.println("consumed " + printed + " record(s)");
    return 0;
  }

  private long consume(Topic<String, ?> topic, PrintStream out) {
    Properties properties = new Properties();
    properties.putAll(kafka.clientProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "sluice-consume-" + java.util.UUID.randomUUID());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    long printed = 0;
    long idleSince = System.nanoTime();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.name()));
      while (maxMessages < 0 || printed < maxMessages) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          if (timeoutMs >= 0 && System.nanoTime() - idleSince > timeoutMs * 1_000_000) {
            break;
          }
          continue;
        }
        idleSince = System.nanoTime();
        for (ConsumerRecord<String, byte[]> record : records) {
          out.println(render(topic, record));
          if (++printed == maxMessages) {
            break;
          }
        }
      }
    }
    return printed;
  }

  /** One line: the decoded value, or the decoding error, with the record's coordinates. */
  static String render(Topic<String, ?> topic, ConsumerRecord<String, byte[]> record) {
    var line = new java.util.LinkedHashMap<String, Object>();
    line.put("partition", record.partition());
    line.put("offset", record.offset());
    line.put("key", record.key());
    try {
      Object value = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
      line.put("value", value == null ? null : AvroJson.toJson((IndexedRecord) value));
    } catch (RuntimeException e) {
      line.put("error", e.getMessage());
    }
    try {
      return JSON.writeValueAsString(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
}
