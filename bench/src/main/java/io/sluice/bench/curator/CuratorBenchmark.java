package io.sluice.bench.curator;

import io.sluice.curator.CuratorConfig;
import io.sluice.curator.CuratorService;
import io.sluice.curator.CuratorTopology;
import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.event.ChatMessages;
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
 * broker and input in one run. Each run is timed from its first commit until its group has
 * committed the whole input, counting only the events committed in between, so start-up is left out
 * of both.
 */
public final class CuratorBenchmark {

  /** The pass-through topology's output topic. */
  static final String PASS_THROUGH_TOPIC = "sluice.bench.passthrough";

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

  /**
   * Figures of one benchmark run.
   *
   * @param events input events per measurement
   * @param curatorRounds per measured round, input events per second through the full curator
   * @param passThroughRounds per measured round, input events per second through the pass-through
   */
  public record Result(int events, List<Double> curatorRounds, List<Double> passThroughRounds) {

    public Result {
      curatorRounds = List.copyOf(curatorRounds);
      passThroughRounds = List.copyOf(passThroughRounds);
      if (curatorRounds.size() != passThroughRounds.size() || curatorRounds.isEmpty()) {
        throw new IllegalArgumentException(
            "need the same number (>= 1) of curator and pass-through rounds");
      }
    }

    /** The best round of the full curator, in events per second. */
    public double curatorEventsPerSecond() {
      return curatorRounds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    /** The best round of the pass-through, in events per second. */
    public double passThroughEventsPerSecond() {
      return passThroughRounds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    /** Per round, curator over pass-through measured back to back. */
    public List<Double> ratios() {
      List<Double> ratios = new ArrayList<>();
      for (int round = 0; round < curatorRounds.size(); round++) {
        ratios.add(curatorRounds.get(round) / passThroughRounds.get(round));
      }
      return ratios;
    }

    /**
     * The median of the per-round ratios: adjacent runs share the machine's load, distant ones may
     * not.
     */
    public double ratio() {
      List<Double> sorted = ratios().stream().sorted().toList();
      int middle = sorted.size() / 2;
      return sorted.size() % 2 == 1
          ? sorted.get(middle)
          : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
  }

  private CuratorBenchmark() {}

  /**
   * Produces {@code events} generated events to the raw topic and times both topologies over them:
   * one unmeasured warm-up round, then {@code rounds} measured ones.
   *
   * @param stateDir parent of the two runs' state directories
   */
  public static Result run(
      String bootstrapServers, int events, int rounds, int threads, Path stateDir)
      throws Exception {
    if (events < 1 || rounds < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "events, rounds and threads must be >= 1 but were "
              + events
              + ", "
              + rounds
              + " and "
              + threads);
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      // Partitions and topic configs of the curated topic, so neither side writes to a cheaper log.
      admin
          .createTopics(
              List.of(
                  new NewTopic(
                          PASS_THROUGH_TOPIC,
                          Optional.of(Topics.EXAMPLES_CURATED.partitions()),
                          Optional.empty())
                      .configs(Topics.EXAMPLES_CURATED.configs())))
          .all()
          .get();
      produce(bootstrapServers, generate(events, 42));
      List<Double> curatorRounds = new ArrayList<>();
      List<Double> passThroughRounds = new ArrayList<>();
      // Round 0 only warms up (JIT, broker caches): the first run in a fresh JVM is the slowest,
      // and
      // counting it would flatter whichever topology runs second.
      for (int round = 0; round <= rounds; round++) {
        // Fresh application ids: each run reads the whole input from the start with empty state.
        String run = "r" + round + "-" + Long.toString(System.currentTimeMillis(), 36);
        CuratorConfig passThroughConfig =
            config(
                bootstrapServers,
                "bench-passthrough-" + run,
                stateDir.resolve("passthrough-" + run),
                threads);
        CuratorConfig curatorConfig =
            config(
                bootstrapServers,
                "bench-curator-" + run,
                stateDir.resolve("curator-" + run),
                threads);
        double passThrough =
            time(
                admin,
                passThroughTopology(),
                CuratorService.streamsProperties(passThroughConfig, Map.of()),
                events);
        double curator =
            time(
                admin,
                CuratorTopology.build(curatorConfig),
                CuratorService.streamsProperties(curatorConfig, Map.of()),
                events);
        if (round > 0) {
          passThroughRounds.add(passThrough);
          curatorRounds.add(curator);
        }
      }
      return new Result(events, curatorRounds, passThroughRounds);
    }
  }

  /** The same settings for both topologies: only the application id and state directory differ. */
  static CuratorConfig config(
      String bootstrapServers, String applicationId, Path stateDir, int threads) {
    return CuratorConfig.load(
        Optional.empty(),
        Map.of(),
        Map.of(
            CuratorConfig.APPLICATION_ID_CONFIG,
            applicationId,
            CuratorConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            CuratorConfig.STATE_DIR_CONFIG,
            stateDir.toString(),
            CuratorConfig.STREAM_THREADS_CONFIG,
            Integer.toString(threads)));
  }

  static Topology passThroughTopology() {
    Topology topology = new Topology();
    topology.addSource(
        "bench-source",
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        Topics.EVENTS_RAW.name());
    topology.addSink(
        "bench-sink",
        PASS_THROUGH_TOPIC,
        new StringSerializer(),
        new ByteArraySerializer(),
        "bench-source");
    return topology;
  }

  /** Events per second from the first commit until the group has committed all input offsets. */
  private static double time(Admin admin, Topology topology, Properties props, int events)
      throws InterruptedException, ExecutionException {
    return time(admin, topology, props, events, () -> {}, () -> {});
  }

  /**
   * As {@link #time(Admin, Topology, Properties, int)}, running {@code atStart} when the clock
   * starts and {@code atEnd} when it stops (a profiler's snapshots of the same interval).
   */
  static double time(
      Admin admin,
      Topology topology,
      Properties props,
      int events,
      Runnable atStart,
      Runnable atEnd)
      throws InterruptedException, ExecutionException {
    String group = props.getProperty("application.id");
    try (KafkaStreams streams = new KafkaStreams(topology, props)) {
      streams.start();
      long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
      // The clock starts at the first commit seen, and only what commits after it counts. Not at
      // RUNNING: with several stream threads the client reports RUNNING only once all of them
      // are, and under load a fast topology had committed part or all of the input by then (with
      // --threads 2 the pass-through measured 80 million events/s, or nothing at all).
      long before;
      while ((before = committed(admin, group)) == 0) {
        check(streams, deadline);
        Thread.sleep(5);
      }
      long start = System.nanoTime();
      atStart.run();
      if (before >= events) {
        throw new IllegalStateException(
            "all "
                + events
                + " events committed in the first commit: too few to time, use more --events");
      }
      while (committed(admin, group) < events) {
        check(streams, deadline);
        Thread.sleep(20);
      }
      long end = System.nanoTime();
      atEnd.run();
      return (events - before) / ((end - start) / 1e9);
    }
  }

  private static void check(KafkaStreams streams, long deadline) {
    if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
      throw new IllegalStateException(
          "benchmark run failed or timed out in state " + streams.state());
    }
  }

  private static long committed(Admin admin, String group)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return offsets.values().stream()
        .filter(o -> o != null)
        .mapToLong(OffsetAndMetadata::offset)
        .sum();
  }

  static void produce(String bootstrapServers, List<RawEvent> events) {
    AvroSerde<RawEvent> serde = AvroSerde.of(RawEvent.class);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                10),
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

  private static final String[] GREETINGS = {
    "Hi,", "Hello,", "Hi there,", "Good morning,", "Hey team,", "Hello support,"
  };
  private static final String[] PRODUCTS = {
    "the mobile app",
    "the web dashboard",
    "my router",
    "the billing portal",
    "the public API",
    "the desktop client",
    "the printer driver",
    "the VPN client",
    "my smart thermostat",
    "the analytics export",
    "the team calendar",
    "the backup agent"
  };
  private static final String[] ISSUES = {
    "keeps logging me out",
    "shows a blank page",
    "rejects my payment",
    "will not sync my files",
    "crashes on start",
    "is very slow",
    "sends duplicate emails",
    "lost my saved settings",
    "shows an error",
    "times out after a minute",
    "cannot find my invoices",
    "asks for a password every time",
    "does not accept the new address",
    "reports the license as expired",
    "drops the connection every hour",
    "displays the wrong time zone"
  };
  private static final String[] CONTEXTS = {
    "since the update to version 4.%d", "after I changed my plan", "only on my work laptop",
    "when I use the Safari browser", "since we moved to a new office", "after I reset my phone",
    "for everyone in the finance team", "only in the evening", "since I enabled two-factor login",
    "when more than %d people are online", "after the outage on Monday", "on every device I tried"
  };
  private static final String[] DETAILS = {
    "I already tried restarting it.", "Two colleagues see the same thing.",
        "This blocks our month-end close.",
    "It worked fine last week.", "I cleared the cache but nothing changed.",
        "The error code is E%d.",
    "We are on the business plan.", "I reinstalled it twice already.",
        "Our admin says nothing changed on our side.",
    "It happens about %d times a day."
  };
  private static final String[] OPENERS = {
    "Sorry about that.",
    "Thanks for the report.",
    "Let's fix this together.",
    "I understand how annoying that is.",
    "Thanks for the details, that helps."
  };
  private static final String[] STEPS = {
    "Sign out, close %s completely and sign in again.",
        "Open Settings, then Account, and check that your plan is active.",
    "Clear the cached data under Settings, Storage.",
        "Update %s to the latest release from the downloads page.",
    "Check that the device clock is set automatically.",
        "Remove the saved payment method and add it again.",
    "Turn off the VPN for a moment and try once more.",
        "Wait about %d minutes, since the sync runs in batches.",
    "Ask your admin to confirm the permission called billing viewer.",
        "Restart the router by holding the button for %d seconds.",
    "Export a diagnostic log from Help, Report a problem, and attach it here.",
        "Try a private browser window to rule out extensions.",
    "Re-enter the address exactly as it appears on your bank statement.",
        "Disable battery saver, which pauses background sync.",
    "Reset the notification rules under Preferences, Email.",
        "Reconnect the calendar under Integrations and approve the access again.",
    "Check the firewall allows outgoing traffic on port %d.",
        "Renew the license from the Admin page; renewal takes effect at once.",
    "Pick the right time zone under Profile, Region.",
        "Run the repair tool from the installer and reboot."
  };
  private static final String[] CLOSERS = {
    "Let me know if that works.",
    "If it still fails, reply here and we will escalate it.",
    "That should do it.",
    "Happy to help further if needed."
  };

  /** Replacements for the one changed word of a generated near-copy. */
  private static final String[] SUBSTITUTES = {
    "again", "now", "today", "quickly", "also", "please", "still", "maybe"
  };

  private static final String[] NAMES = {"Maria Lopez", "John Smith", "Aiko Tanaka", "Peter Novak"};

  /**
   * {@code count} realistic support events over 4 tenants x 3 tracks: 60% chat examples (with a
   * system turn), 30% feedback (a quarter with a correction), 10% preferences. Prompts are a
   * templated greeting around varied content (product, issue, context, details, account number) and
   * answers a few troubleshooting steps drawn from a bank, so records of one track share phrases,
   * as real support traffic does, without all being near-copies of each other. About a fifth carry
   * PII (emails, phones, cards, IPs, names, tokens); about a tenth are copies of earlier events: a
   * third exact, a third cosmetic (upper case, added punctuation) and a third near-copies with one
   * word of the answer changed.
   */
  public static List<RawEvent> generate(int count, long seed) {
    Random random = new Random(seed);
    List<RawEvent> events = new ArrayList<>(count);
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    for (int i = 0; i < count; i++) {
      Instant time = start.plusSeconds(i);
      if (i > 20 && random.nextInt(10) == 0) {
        events.add(copy(events.get(random.nextInt(i)), "evt-" + i, time, random));
        continue;
      }
      String product = pick(random, PRODUCTS);
      String prompt = prompt(random, product);
      String answer = answer(random, product);
      RawEvent.Builder event =
          RawEvent.newBuilder()
              .setId("evt-" + i)
              .setTenant("tenant-" + random.nextInt(4))
              .setTrack(new String[] {"support", "billing", "onboarding"}[random.nextInt(3)])
              .setTimestamp(time)
              .setMetadata(Map.of("app", "web"));
      int kind = random.nextInt(10);
      if (kind < 6) {
        event
            .setType(EventType.example)
            .setPrompt(
                List.of(
                    ChatMessages.of(Role.system, "You are a helpful support agent."),
                    ChatMessages.of(Role.user, prompt)))
            .setCompletion(answer);
      } else if (kind < 9) {
        event
            .setType(EventType.feedback)
            .setPrompt(prompt)
            .setResponse(answer)
            .setRating(random.nextBoolean() ? "up" : (Object) (1 + random.nextInt(5)));
        if (random.nextInt(4) == 0) {
          event.setCorrection(answer + " If that fails, contact support.");
        }
      } else {
        event
            .setType(EventType.preference)
            .setPrompt(prompt)
            .setChosen(answer)
            .setRejected("I cannot help with " + product + ", sorry.");
      }
      events.add(event.build());
    }
    return events;
  }

  private static String prompt(Random random, String product) {
    StringBuilder prompt =
        new StringBuilder(pick(random, GREETINGS))
            .append(' ')
            .append(capitalize(product))
            .append(' ')
            .append(pick(random, ISSUES))
            .append(' ')
            .append(fill(pick(random, CONTEXTS), random))
            .append(" on account ")
            .append(1000 + random.nextInt(90_000))
            .append('.');
    if (random.nextInt(5) == 0) {
      prompt.append(pii(random));
    }
    for (int details = random.nextInt(3); details > 0; details--) {
      prompt.append(' ').append(fill(pick(random, DETAILS), random));
    }
    return prompt.toString();
  }

  private static String answer(Random random, String product) {
    StringBuilder answer = new StringBuilder(pick(random, OPENERS));
    List<String> steps = new ArrayList<>(List.of(STEPS));
    for (int n = 2 + random.nextInt(3); n > 0; n--) {
      String step = steps.remove(random.nextInt(steps.size()));
      answer
          .append(' ')
          .append(step.contains("%s") ? String.format(step, product) : fill(step, random));
    }
    return answer.append(' ').append(pick(random, CLOSERS)).toString();
  }

  /** A later copy of {@code original}: exact, cosmetic, or with one word of its answer changed. */
  private static RawEvent copy(RawEvent original, String id, Instant time, Random random) {
    RawEvent copy = RawEvent.newBuilder(original).setId(id).setTimestamp(time).build();
    int variant = random.nextInt(3);
    if (variant == 1 && copy.getCompletion() != null) {
      copy.setCompletion(copy.getCompletion().toUpperCase(Locale.ROOT) + "!");
    } else if (variant == 1 && copy.getResponse() != null) {
      copy.setResponse(copy.getResponse().replace(".", "!"));
    } else if (variant == 2 && copy.getCompletion() != null) {
      copy.setCompletion(changeOneWord(copy.getCompletion(), random));
    } else if (variant == 2 && copy.getChosen() != null) {
      copy.setChosen(changeOneWord(copy.getChosen(), random));
    } else if (variant == 2 && copy.getResponse() != null) {
      copy.setResponse(changeOneWord(copy.getResponse(), random));
    }
    return copy;
  }

  private static String changeOneWord(String text, Random random) {
    String[] words = text.split(" ");
    int at = 1 + random.nextInt(words.length - 1);
    String substitute = pick(random, SUBSTITUTES);
    words[at] = substitute.equalsIgnoreCase(words[at]) ? "indeed" : substitute;
    return String.join(" ", words);
  }

  private static String fill(String template, Random random) {
    return template.contains("%d")
        ? String.format(Locale.ROOT, template, 2 + random.nextInt(60))
        : template;
  }

  private static String capitalize(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static String pick(Random random, String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static String pii(Random random) {
    return switch (random.nextInt(6)) {
      case 0 ->
          " My email is "
              + NAMES[random.nextInt(NAMES.length)].toLowerCase(Locale.ROOT).replace(' ', '.')
              + "@example.com.";
      case 1 -> " Call me at (415) 555-" + (1000 + random.nextInt(9000)) + ".";
      case 2 -> " My card is 4111 1111 1111 1111.";
      case 3 -> " My IP is 10." + random.nextInt(255) + "." + random.nextInt(255) + ".7.";
      case 4 -> " My name is " + NAMES[random.nextInt(NAMES.length)] + ".";
      default ->
          " The token is ghp_"
              + Long.toString(random.nextLong() & Long.MAX_VALUE, 36)
              + "abcdefghijklmnopqrstuv.";
    };
  }
}
