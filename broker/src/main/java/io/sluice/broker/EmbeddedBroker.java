package io.sluice.broker;

import io.sluice.schemas.TopicInstaller;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Apache Kafka broker, in this JVM: one KRaft node that is both broker and controller,
 * replication factor 1, transactions enabled. Its storage is formatted on first start and kept in
 * the data directory, so topics and offsets survive restarts. For the local/default run and tests;
 * every service also runs against an external cluster.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String SASL_LISTENER = "SASL_PLAINTEXT";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;

  /**
   * SASL/PLAIN authentication on the client listener (SASL_PLAINTEXT): only the listed users
   * connect, with their passwords. For tests and demos of a secured cluster: PLAIN over plaintext
   * sends passwords in the clear, so a real cluster uses SASL_SSL.
   *
   * @param users user name → password; names of letters, digits and '_', passwords of printable
   *     ASCII without quotes or backslashes (they go into a JAAS line)
   */
  public record SaslPlain(Map<String, String> users) {

    /** The user the broker itself connects as on its inter-broker listener. */
    static final String BROKER_USER = "sluice_broker";

    public SaslPlain {
      if (users.isEmpty()) {
        throw new IllegalArgumentException("SASL/PLAIN needs at least one user");
      }
      users.forEach(
          (user, password) -> {
            if (!user.matches("[A-Za-z0-9_]+") || user.equals(BROKER_USER)) {
              throw new IllegalArgumentException(
                  "SASL user name must be letters, digits and '_'"
                      + " (and not "
                      + BROKER_USER
                      + "), got '"
                      + user
                      + "'");
            }
            if (!password.matches("[\\x21-\\x7e&&[^\"\\\\]]+")) {
              throw new IllegalArgumentException(
                  "password of SASL user "
                      + user
                      + " must be non-empty printable ASCII without spaces, quotes or backslashes");
            }
          });
      users = Map.copyOf(users);
    }

    /** The user names only: passwords stay out of logs and failure messages. */
    @Override
    public String toString() {
      return "SaslPlain" + new TreeMap<>(users).keySet();
    }

    /** Client properties that authenticate as {@code user} with {@code password}. */
    public static Map<String, String> clientProperties(String user, String password) {
      return Map.of(
          "security.protocol", "SASL_PLAINTEXT",
          "sasl.mechanism", "PLAIN",
          "sasl.jaas.config", jaas(user, password, Map.of()));
    }

    /** A PLAIN login line; on the broker, {@code accepted} lists the users it lets in. */
    private static String jaas(String user, String password, Map<String, String> accepted) {
      StringBuilder line =
          new StringBuilder(PlainLoginModule.class.getName())
              .append(" required")
              .append(" username=\"")
              .append(user)
              .append('"')
              .append(" password=\"")
              .append(password)
              .append('"');
      accepted.forEach(
          (name, secret) ->
              line.append(" user_").append(name).append("=\"").append(secret).append('"'));
      return line.append(';').toString();
    }
  }

  private EmbeddedBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
  }

  /**
   * Formats the data directory if needed, starts the broker, waits until it serves requests and
   * creates the topic catalog.
   *
   * @param dataDir where logs and metadata live; created if missing
   * @param port client port; 0 picks a free one
   */
  public static EmbeddedBroker start(Path dataDir, int port)
      throws IOException, InterruptedException {
    return start(dataDir, port, Optional.empty(), Map.of());
  }

  /**
   * As {@link #start(Path, int)}, with broker settings that add to or replace the defaults: for
   * tests that need a broker tuned otherwise (a shorter transaction-abort check, for example).
   */
  public static EmbeddedBroker start(Path dataDir, int port, Map<String, String> brokerSettings)
      throws IOException, InterruptedException {
    return start(dataDir, port, Optional.empty(), brokerSettings);
  }

  /**
   * As {@link #start(Path, int)}, with a client listener that accepts only SASL/PLAIN clients
   * authenticated as one of {@code sasl}'s users.
   */
  public static EmbeddedBroker start(Path dataDir, int port, SaslPlain sasl)
      throws IOException, InterruptedException {
    return start(dataDir, port, Optional.of(sasl), Map.of());
  }

  private static EmbeddedBroker start(
      Path dataDir, int port, Optional<SaslPlain> sasl, Map<String, String> brokerSettings)
      throws IOException, InterruptedException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be within 0..65535 but was " + port);
    }
    Path logDir = dataDir.toAbsolutePath().resolve("kraft-logs");
    Files.createDirectories(logDir);
    int[] free = freePorts(2, port);
    int clientPort = port == 0 ? free[0] : port;
    int controllerPort = free[1];
    Properties properties = brokerProperties(logDir, clientPort, controllerPort);
    // The broker's own admin client (readiness, topics) authenticates as the broker's user.
    Map<String, String> ownClient = Map.of();
    if (sasl.isPresent()) {
      String brokerPassword = Uuid.randomUuid().toString();
      properties.putAll(saslProperties(sasl.get(), brokerPassword, clientPort, controllerPort));
      ownClient = SaslPlain.clientProperties(SaslPlain.BROKER_USER, brokerPassword);
    }
    properties.putAll(brokerSettings);
    formatIfNew(logDir);

    KafkaRaftServer server =
        new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
    server.startup();
    EmbeddedBroker broker = new EmbeddedBroker(server, "localhost:" + clientPort, dataDir);
    try {
      broker.awaitReadyAndInstallTopics(ownClient);
    } catch (ExecutionException | RuntimeException e) {
      broker.close();
      throw new IOException("embedded broker did not become ready: " + e.getMessage(), e);
    }
    LOG.info("Kafka broker ready at {} (data in {})", broker.bootstrapServers, dataDir);
    return broker;
  }

  /** The address clients connect to. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Blocks until the broker has shut down (for example after {@link #close()} from a hook). */
  public void awaitShutdown() {
    server.awaitShutdown();
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static Properties brokerProperties(Path logDir, int clientPort, int controllerPort) {
    Properties p = new Properties();
    p.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", Integer.toString(NODE_ID)),
            Map.entry("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort),
            Map.entry("controller.listener.names", CONTROLLER_LISTENER),
            Map.entry(
                "listeners",
                "PLAINTEXT://localhost:"
                    + clientPort
                    + ","
                    + CONTROLLER_LISTENER
                    + "://localhost:"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + clientPort),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("log.dirs", logDir.toString()),
            // One node: every internal topic must live with a single replica.
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            // Topics come from the catalog only, so a typo in a topic name fails instead of
            // creating one.
            Map.entry("auto.create.topics.enable", "false"),
            // A local run has one consumer per group: don't wait for others to join.
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // The controller fences a broker whose heartbeats stop for this long, and a fenced
            // sole broker leads nothing: every client then sees NotLeaderOrFollower. In one
            // process the heartbeats only stop when the JVM is starved (a loaded build machine),
            // so allow a long stall rather than take every partition offline.
            Map.entry("broker.session.timeout.ms", "60000")));
    return p;
  }

  /**
   * The client listener becomes SASL_PLAINTEXT with PLAIN only; the broker talks to itself over it
   * as {@link SaslPlain#BROKER_USER}. The controller listener stays on loopback, plaintext.
   */
  private static Map<String, String> saslProperties(
      SaslPlain sasl, String brokerPassword, int clientPort, int controllerPort) {
    Map<String, String> accepted = new TreeMap<>(sasl.users());
    accepted.put(SaslPlain.BROKER_USER, brokerPassword);
    return Map.of(
        "listeners",
        SASL_LISTENER
            + "://localhost:"
            + clientPort
            + ","
            + CONTROLLER_LISTENER
            + "://localhost:"
            + controllerPort,
        "advertised.listeners",
        SASL_LISTENER + "://localhost:" + clientPort,
        "listener.security.protocol.map",
        SASL_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT",
        "inter.broker.listener.name",
        SASL_LISTENER,
        "sasl.enabled.mechanisms",
        "PLAIN",
        "sasl.mechanism.inter.broker.protocol",
        "PLAIN",
        "listener.name.sasl_plaintext.plain.sasl.jaas.config",
        SaslPlain.jaas(SaslPlain.BROKER_USER, brokerPassword, accepted));
  }

  private static void formatIfNew(Path logDir) throws IOException {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    try {
      new Formatter()
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .addDirectory(logDir.toString())
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .run();
    } catch (Exception e) {
      throw new IOException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
    }
  }

  private void awaitReadyAndInstallTopics(Map<String, String> clientProperties)
      throws InterruptedException, ExecutionException {
    Properties adminProps = new Properties();
    adminProps.putAll(clientProperties);
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(adminProps)) {
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (true) {
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          break;
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw new ExecutionException("no answer within " + READY_TIMEOUT, e);
          }
        }
      }
      List<TopicInstaller.Result> results = new TopicInstaller(admin).install();
      results.forEach(r -> LOG.debug("topic {} {}", r.topic(), r.outcome()));
      awaitLeaders(admin, results.stream().map(TopicInstaller.Result::topic).toList(), deadline);
    }
  }

  /**
   * A created topic is committed to the metadata log before this broker leads its partitions;
   * clients that write at once would wait on an unknown leader, so start returns only when every
   * partition has one.
   */
  private static void awaitLeaders(Admin admin, List<String> topics, long deadline)
      throws InterruptedException, ExecutionException {
    while (true) {
      List<String> leaderless = new ArrayList<>();
      try {
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
          for (TopicPartitionInfo partition : topic.partitions()) {
            if (partition.leader() == null || partition.leader().isEmpty()) {
              leaderless.add(topic.name() + "-" + partition.partition());
            }
          }
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        // created, but this broker's metadata has not caught up yet
        leaderless.add(e.getCause().getMessage());
      }
      if (leaderless.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new ExecutionException(
            "partitions without a leader after " + READY_TIMEOUT + ": " + leaderless, null);
      }
      Thread.sleep(50);
    }
  }

  /**
   * {@code count} distinct free ports, none equal to {@code taken}: all are held open until every
   * one is chosen, or the system could hand the same port out twice.
   */
  private static int[] freePorts(int count, int taken) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      int chosen = 0;
      while (chosen < count) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        if (socket.getLocalPort() != taken) {
          ports[chosen++] = socket.getLocalPort();
        }
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
