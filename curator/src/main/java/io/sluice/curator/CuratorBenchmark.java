package io.sluice.curator;

import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * {@code sluice bench curator}: curated throughput with every stage on, against a pass-through
 * topology (raw bytes copied to another topic) with the same exactly-once settings, on the same
 * broker and input in one run. Each run is timed from RUNNING until its group has committed the
 * whole input, so start-up is left out of both.
 */
public final class CuratorBenchmark {

  /** The pass-through topology's output topic. */
  static final String PASS_THROUGH_TOPIC = "sluice.bench.passthrough";

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

  /**
   * Figures of one benchmark run.
   *
   * @param events input events per measurement
   * @param curatorEventsPerSecond best round's input events per second through the full curator
   * @param passThroughEventsPerSecond best round's input events per second through the pass-through
   * @param ratios per round, curator over pass-through measured back to back
   */
  public record Result(
      int events, double curatorEventsPerSecond, double passThroughEventsPerSecond, List<Double> ratios) {

    public Result {
      ratios = List.copyOf(ratios);
    }

    /** The median of the per-round ratios: adjacent runs share the machine's load, distant ones may not. */
    public double ratio() {
      List<Double> sorted = ratios.stream().sorted().toList();
      int middle = sorted.size() / 2;
      return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
  }

  private CuratorBenchmark() {}

  /**
   * Produces {@code events} generated events to the raw topic and times both topologies over them.
   *
   * @param stateDir parent of the two runs' state directories
   */
  public static Result run(String bootstrapServers, int events, int rounds, int threads, Path stateDir)
      throws Exception {
    if (events < 1 || rounds < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "events, rounds and threads must be >= 1 but were " + events + ", " + rounds + " and " + threads);
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(PASS_THROUGH_TOPIC, Optional.of(Topics.EVENTS_RAW.partitions()), Optional.empty())))
          .all()
          .get();
      produce(bootstrapServers, generate(events, 42));
      double bestCurator = 0;
      double bestPassThrough = 0;
      List<Double> ratios = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        // Fresh application ids: each run reads the whole input from the start with empty state.
        String run = "r" + round + "-" + Long.toString(System.currentTimeMillis(), 36);
        CuratorConfig passThroughConfig = config(bootstrapServers, "bench-passthrough-" + run, stateDir.resolve("passthrough-" + run), threads);
        CuratorConfig curatorConfig = config(bootstrapServers, "bench-curator-" + run, stateDir.resolve("curator-" + run), threads);
        double passThrough =
            time(admin, passThroughTopology(), CuratorService.streamsProperties(passThroughConfig, Map.of()), events);
        double curator =
            time(admin, CuratorTopology.build(curatorConfig), CuratorService.streamsProperties(curatorConfig, Map.of()), events);
        bestPassThrough = Math.max(bestPassThrough, passThrough);
        bestCurator = Math.max(bestCurator, curator);
        ratios.add(curator / passThrough);
      }
      return new Result(events, bestCurator, bestPassThrough, ratios);
    }
  }

  /** The same settings for both topologies: only the application id and state directory differ. */
  private static CuratorConfig config(String bootstrapServers, String applicationId, Path stateDir, int threads) {
    return CuratorConfig.load(
        Optional.empty(),
        Map.of(),
        Map.of(
            CuratorConfig.APPLICATION_ID_CONFIG, applicationId,
            CuratorConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            CuratorConfig.STATE_DIR_CONFIG, stateDir.toString(),
            CuratorConfig.STREAM_THREADS_CONFIG, Integer.toString(threads)));
  }

  private static Topology passThroughTopology() {
    Topology topology = new Topology();
    topology.addSource("bench-source", new StringDeserializer(), new ByteArrayDeserializer(), Topics.EVENTS_RAW.name());
    topology.addSink("bench-sink", PASS_THROUGH_TOPIC, new StringSerializer(), new ByteArraySerializer(), "bench-source");
    return topology;
  }

  /** Events per second from RUNNING until the group has committed all input offsets. */
  private static double time(Admin admin, Topology topology, Properties props, int events)
      throws InterruptedException, ExecutionException {
    String group = props.getProperty("application.id");
    try (KafkaStreams streams = new KafkaStreams(topology, props)) {
      streams.start();
      long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
      while (streams.state() != KafkaStreams.State.RUNNING) {
        check(streams, deadline);
        Thread.sleep(5);
      }
      long start = System.nanoTime();
      while (committed(admin, group) < events) {
        check(streams, deadline);
        Thread.sleep(20);
      }
      return events / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static void check(KafkaStreams streams, long deadline) {
    if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
      throw new IllegalStateException("benchmark run failed or timed out in state " + streams.state());
    }
  }

  private static long committed(Admin admin, String group) throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
  }

  private static void produce(String bootstrapServers, List<RawEvent> events) {
    AvroSerde<RawEvent> serde = AvroSerde.of(RawEvent.class);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (RawEvent event : events) {
        producer.send(
            new ProducerRecord<>(
                Topics.EVENTS_RAW.name(),
                Topics.trackKey(event.getTenant(), event.getTrack()),
                serde.serialize(Topics.EVENTS_RAW.name(), event)));
      }
    }
  }

  private static final String[] TOPICS = {
    "reset my router", "update the billing address", "export last month's invoices", "enable two-factor login",
    "change the delivery date", "restore a deleted project", "raise the API rate limit", "cancel my subscription"
  };
  private static final String[] NAMES = {"Maria Lopez", "John Smith", "Aiko Tanaka", "Peter Novak"};

  /**
   * {@code count} realistic support events over 4 tenants x 3 tracks: mostly examples, some feedback
   * (with and without corrections) and preferences; about a fifth carry PII (emails, phones, cards,
   * IPs, names, tokens) and about a tenth are copies of earlier events, some with cosmetic edits.
   */
  public static List<RawEvent> generate(int count, long seed) {
    Random random = new Random(seed);
    List<RawEvent> events = new ArrayList<>(count);
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    for (int i = 0; i < count; i++) {
      Instant time = start.plusSeconds(i);
      if (i > 20 && random.nextInt(10) == 0) {
        RawEvent original = events.get(random.nextInt(i));
        RawEvent copy = RawEvent.newBuilder(original).setId("evt-" + i).setTimestamp(time).build();
        if (copy.getCompletion() != null && random.nextBoolean()) {
          copy.setCompletion(copy.getCompletion().toUpperCase(Locale.ROOT) + "!");
        }
        events.add(copy);
        continue;
      }
      String topic = TOPICS[random.nextInt(TOPICS.length)];
      String pii = random.nextInt(5) == 0 ? pii(random) : "";
      String prompt =
          "Hi, I need to " + topic + " for account " + (1000 + random.nextInt(90_000)) + "." + pii
              + " It started after the update to version 4." + random.nextInt(20) + " yesterday.";
      String answer =
          "Sure. To " + topic + ", open Settings, choose the section for step " + (1 + random.nextInt(9))
              + ", confirm with the code we send, and wait about " + (2 + random.nextInt(30)) + " minutes.";
      RawEvent.Builder event =
          RawEvent.newBuilder()
              .setId("evt-" + i)
              .setTenant("tenant-" + random.nextInt(4))
              .setTrack(new String[] {"support", "billing", "onboarding"}[random.nextInt(3)])
              .setTimestamp(time)
              .setMetadata(Map.of("app", "web"));
      int kind = random.nextInt(10);
      if (kind < 6) {
        event.setType(EventType.example)
            .setPrompt(List.of(new ChatMessage(Role.system, "You are a helpful support agent."), new ChatMessage(Role.user, prompt)))
            .setCompletion(answer);
      } else if (kind < 9) {
        event.setType(EventType.feedback).setPrompt(prompt).setResponse(answer)
            .setRating(random.nextBoolean() ? "up" : (Object) (1 + random.nextInt(5)));
        if (random.nextInt(4) == 0) {
          event.setCorrection(answer + " If that fails, contact support.");
        }
      } else {
        event.setType(EventType.preference).setPrompt(prompt).setChosen(answer).setRejected("I cannot help with " + topic + ".");
      }
      events.add(event.build());
    }
    return events;
  }

  private static String pii(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> " My email is " + NAMES[random.nextInt(NAMES.length)].toLowerCase(Locale.ROOT).replace(' ', '.') + "@example.com.";
      case 1 -> " Call me at (415) 555-" + (1000 + random.nextInt(9000)) + ".";
      case 2 -> " My card is 4111 1111 1111 1111.";
      case 3 -> " My IP is 10." + random.nextInt(255) + "." + random.nextInt(255) + ".7.";
      case 4 -> " My name is " + NAMES[random.nextInt(NAMES.length)] + ".";
      default -> " The token is ghp_" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "abcdefghijklmnopqrstuv.";
    };
  }
}
