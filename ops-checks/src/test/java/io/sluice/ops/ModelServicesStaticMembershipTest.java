package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sluice trainer} and {@code sluice evaluator} with {@code --instance-id} are static members
 * of their groups: killed with SIGKILL and started again under the same id, the new process holds
 * the old one's partitions well before the (deliberately long, 90 s) session of the dead one could
 * have expired.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ModelServicesStaticMembershipTest {

  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"trainer", "evaluator"})
  void shouldTakeThePartitionsBackUnderTheSameInstanceId(String service) throws Exception {
    String id = service + "-0";
    String group = "sluice-" + service; // the services' default group ids
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0)) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  service,
                  "--bootstrap-servers",
                  broker.bootstrapServers(),
                  "--instance-id",
                  id,
                  "--adapter-store",
                  dir.resolve("adapters").toString(),
                  "--set",
                  service + ".metrics.port=0",
                  "-X",
                  "session.timeout.ms=" + SESSION_TIMEOUT.toMillis(),
                  "-X",
                  "heartbeat.interval.ms=3000"));
      if (service.equals("evaluator")) {
        args.addAll(List.of("--set", "evaluator.state.dir=" + dir.resolve("state")));
      }
      String[] command = args.toArray(String[]::new);
      String firstMember;
      try (SluiceProcess first = SluiceProcess.start(dir.resolve("first.log"), Map.of(), command)) {
        firstMember =
            awaitAssigned(broker, group, id, Optional.empty(), Duration.ofMinutes(3), first);
        first.kill();
      }
      long killed = System.nanoTime();
      try (SluiceProcess second =
          SluiceProcess.start(dir.resolve("second.log"), Map.of(), command)) {
        // A dynamic member would wait out the dead one's whole session (90 s).
        awaitAssigned(
            broker,
            group,
            id,
            Optional.of(firstMember),
            SESSION_TIMEOUT.multipliedBy(2).dividedBy(3),
            second);
        System.out.printf(
            "%s restarted under its instance id: partitions back %.1f s after the"
                + " kill (session.timeout.ms=%d)%n",
            service, (System.nanoTime() - killed) / 1e9, SESSION_TIMEOUT.toMillis());
      }
    }
  }

  /**
   * Waits until {@code group} has a member named {@code instanceId} with partitions, other than
   * {@code previous} (a member id); returns its member id.
   */
  private static String awaitAssigned(
      EmbeddedBroker broker,
      String group,
      String instanceId,
      Optional<String> previous,
      Duration timeout,
      SluiceProcess process)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      while (System.nanoTime() < deadline) {
        for (MemberDescription member : members(admin, group)) {
          boolean named = member.groupInstanceId().equals(Optional.of(instanceId));
          boolean fresh = previous.isEmpty() || !previous.get().equals(member.consumerId());
          if (named && fresh && !member.assignment().topicPartitions().isEmpty()) {
            return member.consumerId();
          }
        }
        assertThat(process.isAlive()).as(process.tail()).isTrue();
        Thread.sleep(200);
      }
    }
    throw new AssertionError(
        instanceId
            + " held no partitions of "
            + group
            + " within "
            + timeout
            + ":\n"
            + process.tail());
  }

  /** The group's members; none while the group does not exist yet. */
  private static Collection<MemberDescription> members(Admin admin, String group) throws Exception {
    try {
      return admin
          .describeConsumerGroups(List.of(group))
          .describedGroups()
          .get(group)
          .get(30, TimeUnit.SECONDS)
          .members();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return List.of();
      }
      throw e;
    }
  }
}
