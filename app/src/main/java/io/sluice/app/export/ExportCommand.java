package io.sluice.app.export;

import io.sluice.schemas.AvroJson;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.Split;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice export}: writes one track's curated records of one split as OpenAI or TRL JSON
 * lines, read from a {@code sluice curate} file or from the curated topic, so a team can train
 * elsewhere on Sluice-curated data, or audit it.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export a track's curated records as OpenAI or TRL fine-tuning JSONL.")
public final class ExportCommand implements Callable<Integer> {

  /** Longest wait for one poll of the curated topic that still has records before its end. */
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

  @Option(
      names = "--from",
      paramLabel = "FILE",
      description = "Curated records, as `sluice curate` writes them.")
  Path from;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      description =
          "Read the curated topic instead, from its beginning"
              + " to its current end (needs --bootstrap-servers).")
  String topic;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "Kafka, with --topic.")
  String bootstrapServers;

  @Option(
      names = {"-X", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      description = "Kafka client property, with --topic; repeatable.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  @Option(names = "--tenant", required = true, description = "Tenant of the records.")
  String tenant;

  @Option(names = "--track", required = true, description = "Track of the records.")
  String track;

  @Option(
      names = "--format",
      required = true,
      paramLabel = "openai|trl",
      converter = FormatConverter.class,
      description =
          "openai (chat and DPO lines) or trl (messages, and prompt/chosen/rejected lines).")
  ExportFormat format;

  @Option(
      names = "--split",
      defaultValue = "train",
      paramLabel = "train|holdout",
      converter = SplitConverter.class,
      description = "Which split to export (default ${DEFAULT-VALUE}).")
  Split split;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "The JSONL file to write.")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if ((from == null) == (topic == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give exactly one of --from FILE and --topic");
    }
    if (topic != null && !topic.equals(Topics.EXAMPLES_CURATED.name())) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--topic must be "
              + Topics.EXAMPLES_CURATED.name()
              + ", the curated records' topic, not "
              + topic);
    }
    if (topic != null && bootstrapServers == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--topic needs --bootstrap-servers");
    }
    // Written beside the target and moved into place, so a failed export leaves no partial file.
    Path temporary = Files.createTempFile(out.toAbsolutePath().getParent(), ".export-", ".jsonl");
    long[] counts = new long[3];
    try (BufferedWriter writer = Files.newBufferedWriter(temporary)) {
      Consumer<CuratedExample> export =
          record -> {
            counts[0]++;
            if (matches(record) && !format.writes(record)) {
              counts[2]++;
            } else if (matches(record)) {
              counts[1]++;
              try {
                writer.write(format.line(record));
                writer.newLine();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          };
      if (from != null) {
        readFile(export);
      } else {
        readTopic(export);
      }
    } catch (RuntimeException | IOException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING);
    PrintWriter printer = spec.commandLine().getOut();
    printer.printf(
        "exported %d of %d curated records (%s/%s, %s) as %s lines to %s%n",
        counts[1],
        counts[0],
        tenant,
        track,
        split.name().toLowerCase(Locale.ROOT),
        format.name().toLowerCase(Locale.ROOT),
        out);
    if (counts[2] > 0) {
      printer.printf(
          "left out %d binary-feedback (KTO) records: OpenAI's fine-tuning format has no unpaired"
              + " preferences; --format trl writes them%n",
          counts[2]);
    }
    printer.flush();
    return 0;
  }

  private boolean matches(CuratedExample record) {
    return record.getTenant().equals(tenant)
        && record.getTrack().equals(track)
        && record.getSplit() == split;
  }

  private void readFile(Consumer<CuratedExample> export) throws IOException {
    if (!Files.isReadable(from)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + from);
    }
    try (BufferedReader reader = Files.newBufferedReader(from)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        CuratedExample record;
        try {
          record = AvroJson.fromJsonLine(line, CuratedExample.class);
        } catch (RuntimeException e) {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              from + ":" + number + ": not a curated record: " + e.getMessage());
        }
        export.accept(record);
      }
    }
  }

  /** Every committed record up to the end offsets taken at the start, partition by partition. */
  private void readTopic(Consumer<CuratedExample> export) {
    Properties properties = new Properties();
    properties.putAll(kafkaProperties);
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, CuratedExample> consumer =
        new KafkaConsumer<>(
            properties,
            new StringDeserializer(),
            Topics.EXAMPLES_CURATED.valueSerde().deserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        var records = consumer.poll(POLL_TIMEOUT);
        if (records.isEmpty()) {
          throw new IllegalStateException(
              "no record arrived within "
                  + POLL_TIMEOUT.toSeconds()
                  + " s although "
                  + topic
                  + " has more before its end; is the broker reachable?");
        }
        records.forEach(
            record -> {
              if (record.offset()
                  < end.get(new TopicPartition(record.topic(), record.partition()))) {
                export.accept(record.value());
              }
            });
      }
    }
  }

  /** Reads {@code openai} and {@code trl}. */
  static final class FormatConverter implements CommandLine.ITypeConverter<ExportFormat> {
    @Override
    public ExportFormat convert(String value) {
      return switch (value) {
        case "openai" -> ExportFormat.OPENAI;
        case "trl" -> ExportFormat.TRL;
        default ->
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a format; use openai or trl");
      };
    }
  }

  /** Reads {@code train} and {@code holdout}. */
  static final class SplitConverter implements CommandLine.ITypeConverter<Split> {
    @Override
    public Split convert(String value) {
      return switch (value) {
        case "train" -> Split.TRAIN;
        case "holdout" -> Split.HOLDOUT;
        default ->
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a split; use train or holdout");
      };
    }
  }
}
