package io.sluice.app;

import io.sluice.schemas.TopicInstaller;
import io.sluice.schemas.Topics;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice topics}: manage the topic catalog on a cluster. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Manage Sluice's topics on a Kafka cluster.",
    subcommands = {TopicsCommand.Create.class, TopicsCommand.ListCatalog.class})
public final class TopicsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code sluice topics create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create missing catalog topics and apply catalog configs to existing ones (idempotent).")
  static final class Create implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        List<TopicInstaller.Result> results = new TopicInstaller(admin).install();
        for (TopicInstaller.Result result : results) {
          System.out.printf("%-30s %s%n", result.topic(), result.outcome().name().toLowerCase());
          result.warning().ifPresent(w -> System.out.printf("%-30s warning: %s%n", "", w));
        }
      }
      return 0;
    }
  }

  /** {@code sluice topics list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the topic catalog.")
  static final class ListCatalog implements Runnable {
    @Override
    public void run() {
      for (var topic : Topics.ALL) {
        System.out.printf(
            "%-30s partitions=%d %s%n", topic.name(), topic.partitions(), topic.configs());
      }
    }
  }
}
