package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.broker.EmbeddedBroker;
import io.sluice.ops.CuratorTraffic.Outputs;
import io.sluice.schemas.avro.RawEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice curator} killed with SIGKILL while input arrives and restarted at once, as a
 * supervisor (the kubelet) does. With {@code --instance-id} the restarted process is the same
 * static member and takes its tasks back at once; without it, the group waits for the dead member's
 * session to expire. The session timeout is deliberately long (90 s), so "at once" and "after the
 * timeout" cannot be confused on a slow machine.
 *
 * <p>Resume time: from the last send to the restarted instance having delivered every record
 * (read_committed). {@code -Dsluice.ops.compareDynamic=true} also measures dynamic membership in
 * the same run and prints both (docs/operations.md, "Static membership").
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class CuratorStaticMembershipTest {

  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(90);
  private static final String APPLICATION_ID = "curator-resume";

  @TempDir Path dir;

  /** What one kill and restart showed. */
  record Resume(
      Duration afterLastSend, Set<String> groupInstanceIds, Map<String, Integer> outputs) {}

  @Test
  void shouldResumeAfterKillWithoutWaitingForTheSessionTimeout() throws Exception {
    Resume resume = killAndRestart("static", Optional.of("curator-0"));
    System.out.printf(
        "resume after kill -9, static membership: %.1f s (session.timeout.ms=%d)%n",
        seconds(resume), SESSION_TIMEOUT.toMillis());

    // A dynamic member resumes only after the dead one's session: at least 90 s here. Two thirds
    // of it leaves a loaded machine room for the JVM start and the exactly-once recovery.
    assertThat(resume.afterLastSend())
        .as("resume time after kill -9")
        .isLessThan(SESSION_TIMEOUT.multipliedBy(2).dividedBy(3));
    // Streams suffixes the instance id with the thread index; the restarted member is that one.
    assertThat(resume.groupInstanceIds()).containsExactly("curator-0-1");
    assertThat(resume.outputs())
        .as("every event exactly once")
        .hasSize(100)
        .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
  }

  @Test
  @EnabledIfSystemProperty(named = "sluice.ops.compareDynamic", matches = "true")
  void measureStaticAgainstDynamicMembership() throws Exception {
    Resume dynamic = killAndRestart("dynamic", Optional.empty());
    Resume fixed = killAndRestart("static", Optional.of("curator-0"));
    System.out.printf(
        "resume after kill -9 (session.timeout.ms=%d): dynamic %.1f s, static %.1f s,"
            + " ratio %.1f%n",
        SESSION_TIMEOUT.toMillis(),
        seconds(dynamic),
        seconds(fixed),
        seconds(dynamic) / seconds(fixed));
    assertThat(dynamic.groupInstanceIds()).isEmpty();
    assertThat(dynamic.outputs())
        .hasSize(100)
        .allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
  }

  private static double seconds(Resume resume) {
    return resume.afterLastSend().toMillis() / 1000.0;
  }

  /**
   * 40 events through a first curator; then 60 more at about 50 per second, the curator killed
   * after the 20th of them and a new one started on the same state directory at once.
   */
  private Resume killAndRestart(String name, Optional<String> instanceId) throws Exception {
    Path work = dir.resolve(name);
    try (EmbeddedBroker broker = EmbeddedBroker.start(work.resolve("broker"), 0);
        KafkaProducer<String, RawEvent> producer =
            CuratorTraffic.producer(broker.bootstrapServers(), Map.of());
        Outputs outputs = new Outputs(broker.bootstrapServers(), Map.of())) {
      Set<String> sent = new HashSet<>();
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        sends.add(send(producer, i, sent));
      }
      CuratorTraffic.flush(producer, sends);
      List<SluiceProcess> curators = new ArrayList<>();
      try {
        curators.add(startCurator(broker, work, "first", instanceId));
        // Not measured: only the starting point, so generous for a machine under load.
        outputs.awaitAll(sent, Duration.ofMinutes(4));
        for (int i = 40; i < 100; i++) {
          sends.add(send(producer, i, sent));
          Thread.sleep(20);
          if (i == 60) {
            curators.get(0).kill();
            curators.add(startCurator(broker, work, "second", instanceId));
          }
        }
        CuratorTraffic.flush(producer, sends);
        long lastSend = System.nanoTime();
        long delivered = outputs.awaitAll(sent, SESSION_TIMEOUT.multipliedBy(2));
        Thread.sleep(2000); // a doubled record would arrive now
        return new Resume(
            Duration.ofNanos(delivered - lastSend), groupInstanceIds(broker), outputs.counts());
      } catch (AssertionError | RuntimeException e) {
        StringBuilder logs = new StringBuilder(e.getMessage());
        for (SluiceProcess curator : curators) {
          logs.append("\n--- curator log:\n").append(curator.tail());
        }
        throw new AssertionError(logs.toString(), e);
      } finally {
        for (SluiceProcess curator : curators) {
          curator.close();
        }
      }
    }
  }

  private static Future<RecordMetadata> send(
      KafkaProducer<String, RawEvent> producer, int i, Set<String> sent) {
    RawEvent event = CuratorTraffic.event(i);
    sent.add(event.getId());
    return CuratorTraffic.send(producer, event);
  }

  private static SluiceProcess startCurator(
      EmbeddedBroker broker, Path work, String name, Optional<String> instanceId) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "curator",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--set",
                "curator.application.id=" + APPLICATION_ID,
                "--set",
                "curator.state.dir=" + work.resolve("state"),
                "--set",
                "curator.metrics.port=0",
                "-X",
                "session.timeout.ms=" + SESSION_TIMEOUT.toMillis(),
                "-X",
                "heartbeat.interval.ms=3000"));
    instanceId.ifPresent(id -> args.addAll(List.of("--instance-id", id)));
    return SluiceProcess.start(work.resolve(name + ".log"), Map.of(), args.toArray(String[]::new));
  }

  private static Set<String> groupInstanceIds(EmbeddedBroker broker) throws Exception {
    Map<String, Object> client =
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (Admin admin = Admin.create(client)) {
      Set<String> ids = new TreeSet<>();
      for (MemberDescription member :
          admin
              .describeConsumerGroups(List.of(APPLICATION_ID))
              .describedGroups()
              .get(APPLICATION_ID)
              .get(30, TimeUnit.SECONDS)
              .members()) {
        member.groupInstanceId().ifPresent(ids::add);
      }
      return ids;
    }
  }
}
