package io.sluice.schemas;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Applies the topic catalog to a cluster, idempotently: missing topics are created with the
 * catalog's partitions and configs (replication factor from the broker default), existing ones get
 * the catalog's configs set. Partition counts of existing topics are never changed, because that
 * would move tracks between partitions and break their ordering; a difference is reported instead.
 */
public final class TopicInstaller {

  /** What happened to one topic. */
  public enum Outcome {
    CREATED,
    UPDATED
  }

  /**
   * The result for one topic.
   *
   * @param topic topic name
   * @param outcome created, or existing and configs applied
   * @param warning a difference the installer did not fix, if any
   */
  public record Result(String topic, Outcome outcome, Optional<String> warning) {}

  private final Admin admin;

  public TopicInstaller(Admin admin) {
    this.admin = admin;
  }

  /** Creates or updates every topic of the catalog. */
  public List<Result> install() throws InterruptedException, ExecutionException {
    return install(Topics.ALL);
  }

  /** Creates or updates the given topics. */
  public List<Result> install(Collection<? extends Topic<?, ?>> topics)
      throws InterruptedException, ExecutionException {
    Set<String> existing = admin.listTopics().names().get();
    List<Result> results = new ArrayList<>();
    List<NewTopic> toCreate = new ArrayList<>();
    for (Topic<?, ?> topic : topics) {
      if (!existing.contains(topic.name())) {
        toCreate.add(
            new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty())
                .configs(topic.configs()));
        results.add(new Result(topic.name(), Outcome.CREATED, Optional.empty()));
      }
    }
    if (!toCreate.isEmpty()) {
      admin.createTopics(toCreate).all().get();
    }
    for (Topic<?, ?> topic : topics) {
      if (existing.contains(topic.name())) {
        results.add(update(topic));
      }
    }
    return results;
  }

  private Result update(Topic<?, ?> topic) throws InterruptedException, ExecutionException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
    List<AlterConfigOp> ops = new ArrayList<>();
    topic
        .configs()
        .forEach(
            (key, value) ->
                ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
    if (!ops.isEmpty()) {
      admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
    }
    TopicDescription description =
        admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name());
    int actual = description.partitions().size();
    Optional<String> warning =
        actual == topic.partitions()
            ? Optional.empty()
            : Optional.of(
                "has "
                    + actual
                    + " partitions, the catalog says "
                    + topic.partitions()
                    + "; left unchanged (changing it would reorder tracks)");
    return new Result(topic.name(), Outcome.UPDATED, warning);
  }
}
