package io.sluice.app.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.app.KafkaOptions;
import io.sluice.evaluator.AdapterRegistryClient;
import io.sluice.schemas.AvroJson;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.EvaluationReport;
import io.sluice.schemas.avro.GateReason;
import io.sluice.schemas.avro.PromotionDecision;
import io.sluice.schemas.avro.RegistryEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice adapters}: the registry as operators see and change it. */
@Command(
    name = "adapters",
    mixinStandardHelpOptions = true,
    description = "Champions, decisions and reports of adapters; manual promotion and rollback.",
    subcommands = {
      AdaptersCommand.ListCommand.class,
      AdaptersCommand.ShowCommand.class,
      AdaptersCommand.PromoteCommand.class,
      AdaptersCommand.RollbackCommand.class
    })
public final class AdaptersCommand implements Runnable {
  static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Champion per track and the most recent decisions, as a table (or --json).")
  static final class ListCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--tenant", description = "Only this tenant.")
    String tenant;

    @Option(names = "--track", description = "Only this track.")
    String track;

    @Option(
        names = "--recent",
        defaultValue = "20",
        description = "Decisions shown (default: ${DEFAULT-VALUE}).")
    int recent;

    @Option(names = "--json", description = "One JSON object: champions and decisions.")
    boolean json;

    private boolean wanted(String t, String k) {
      return (tenant == null || tenant.equals(t)) && (track == null || track.equals(k));
    }

    @Override
    public Integer call() throws IOException {
      AdapterRegistryClient client = new AdapterRegistryClient(kafka.clientProperties());
      List<RegistryEntry> champions =
          client.champions().values().stream()
              .filter(e -> wanted(e.getTenant(), e.getTrack()))
              .toList();
      List<PromotionDecision> decisions =
          client.decisions().stream()
              .filter(d -> wanted(d.getTenant(), d.getTrack()))
              .sorted(Comparator.comparing(PromotionDecision::getDecidedAt).reversed())
              .limit(recent)
              .toList();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode c = root.putArray("champions");
        champions.forEach(e -> c.add(AvroJson.toJson(e)));
        ArrayNode d = root.putArray("decisions");
        decisions.forEach(x -> d.add(AvroJson.toJson(x)));
        out.println(JSON.writeValueAsString(root));
        out.flush();
        return 0;
      }
      out.println("CHAMPIONS");
      out.printf(
          "%-28s %-7s %-36s %-20s %s%n", "TENANT/TRACK", "VERSION", "CHAMPION", "UPDATED", "BY");
      for (RegistryEntry e : champions) {
        out.printf(
            "%-28s %-7d %-36s %-20s %s%n",
            e.getTenant() + "/" + e.getTrack(),
            e.getVersion(),
            e.getActive() == null ? "(base model)" : e.getActive().getCandidateId(),
            e.getUpdatedAt().toString().substring(0, 19),
            e.getActor() == null ? "" : e.getActor());
      }
      out.println();
      out.println("RECENT DECISIONS");
      out.printf(
          "%-20s %-28s %-36s %-8s %s%n",
          "DECIDED", "TENANT/TRACK", "CANDIDATE", "ACTION", "REASONS");
      for (PromotionDecision d : decisions) {
        out.printf(
            "%-20s %-28s %-36s %-8s %s%n",
            d.getDecidedAt().toString().substring(0, 19),
            d.getTenant() + "/" + d.getTrack(),
            d.getCandidateId(),
            d.getAction(),
            summary(d));
      }
      out.flush();
      return 0;
    }

    /** Codes with their key numbers: "FORGETTING arithmetic 1.00→0.34". */
    private static String summary(PromotionDecision d) {
      if (d.getDetails().isEmpty()) {
        return String.join("; ", d.getReasons());
      }
      return d.getDetails().stream().map(ListCommand::brief).collect(Collectors.joining("; "));
    }

    private static String brief(GateReason r) {
      if (r.getTask() != null && r.getFromValue() != null && r.getToValue() != null) {
        return String.format(
            Locale.ROOT,
            "%s %s %.3f→%.3f",
            r.getCode(),
            r.getTask(),
            r.getFromValue(),
            r.getToValue());
      }
      return r.getCode();
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "An adapter's candidate event, evaluation reports, decisions and lineage, as JSON.")
  static final class ShowCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Adapter (candidate) id.")
    String id;

    @Override
    public Integer call() throws IOException {
      AdapterRegistryClient client = new AdapterRegistryClient(kafka.clientProperties());
      Optional<AdapterCandidate> candidate = client.candidate(id);
      List<EvaluationReport> reports =
          client.reports().stream().filter(r -> r.getCandidateId().equals(id)).toList();
      List<PromotionDecision> decisions =
          client.decisions().stream().filter(d -> d.getCandidateId().equals(id)).toList();
      if (candidate.isEmpty() && reports.isEmpty() && decisions.isEmpty()) {
        throw new IllegalArgumentException(
            "no adapter " + id + " in the candidates, evaluations or decisions topics");
      }
      ObjectNode root = JSON.createObjectNode();
      root.put("adapter_id", id);
      candidate.ifPresent(c -> root.set("candidate", AvroJson.toJson(c)));
      ArrayNode r = root.putArray("reports");
      reports.forEach(x -> r.add(AvroJson.toJson(x)));
      ArrayNode d = root.putArray("decisions");
      decisions.forEach(x -> d.add(AvroJson.toJson(x)));
      if (candidate.isPresent()) {
        Path lineage = Path.of(candidate.get().getAdapterUri()).resolve("lineage.json");
        if (Files.isRegularFile(lineage)) {
          root.set("lineage", JSON.readTree(lineage.toFile()));
        } else {
          root.put("lineage", "not readable from this machine: " + lineage);
        }
      }
      spec.commandLine()
          .getOut()
          .println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** A manual change of the registry, recorded with who made it and why. */
  abstract static class RegistryChange implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--reason",
        required = true,
        description = "Why; kept in the decision and the registry entry.")
    String reason;

    @Option(names = "--actor", description = "Who (default: the OS user).")
    String actor;

    /** Makes the change as {@code actor}; returns the line that reports it. */
    abstract String change(AdapterRegistryClient client, String actor);

    @Override
    public Integer call() {
      String who =
          actor != null && !actor.isBlank() ? actor : System.getProperty("user.name", "operator");
      String report = change(new AdapterRegistryClient(kafka.clientProperties()), who);
      spec.commandLine().getOut().println(report);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description =
          "Make an adapter its track's champion, overriding the gate (recorded as manual, with"
              + " actor and reason).")
  static final class PromoteCommand extends RegistryChange {
    @Parameters(index = "0", paramLabel = "ID", description = "Adapter (candidate) id.")
    String id;

    @Override
    String change(AdapterRegistryClient client, String actor) {
      PromotionDecision d = client.promote(id, reason, actor);
      return String.format(
          "PROMOTE %s on %s/%s (registry version %d, by %s)",
          d.getCandidateId(), d.getTenant(), d.getTrack(), d.getRegistryVersion(), d.getActor());
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description =
          "Restore a track's previous champion (the base model when there was none) as a new registry event.")
  static final class RollbackCommand extends RegistryChange {
    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--track", required = true)
    String track;

    @Override
    String change(AdapterRegistryClient client, String actor) {
      PromotionDecision d;
      try {
        d = client.rollback(tenant, track, reason, actor);
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(tenant + "/" + track + ": " + e.getMessage(), e);
      }
      RegistryEntry now = client.champions().get(tenant + "/" + track);
      return String.format(
          "ROLLBACK %s/%s: %s -> %s (registry version %d, by %s)",
          tenant,
          track,
          d.getCandidateId(),
          now == null || now.getActive() == null
              ? "(base model)"
              : now.getActive().getCandidateId(),
          d.getRegistryVersion(),
          d.getActor());
    }
  }
}
