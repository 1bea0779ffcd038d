package io.sluice.app.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.SluiceCli;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.AdapterCandidate;
import io.sluice.schemas.avro.Objective;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice adapters} through the real command line. */
class AdaptersCommandTest {
  @TempDir Path brokerDir;

  private record Run(int code, String out, String err) {}

  private static Run sluice(String... args) {
    CommandLine cli = SluiceCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void shouldPromoteListShowAndRollBackThroughTheCommandLine() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(brokerDir, 0)) {
      String servers = broker.bootstrapServers();
      AdapterCandidate candidate =
          AdapterCandidate.newBuilder()
              .setCandidateId("acme-support-0001")
              .setTenant("acme")
              .setTrack("support")
              .setBaseModel("sluice-tiny")
              .setAdapterUri("/nowhere/acme-support-0001")
              .setObjective(Objective.SFT)
              .setCreatedAt(Instant.now())
              .setExampleCount(10)
              .setSources(List.of())
              .build();
      try (KafkaProducer<String, AdapterCandidate> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
              new StringSerializer(),
              Topics.ADAPTERS_CANDIDATES.valueSerde().serializer())) {
        producer
            .send(
                new ProducerRecord<>(Topics.ADAPTERS_CANDIDATES.name(), "acme/support", candidate))
            .get();
      }

      Run promote =
          sluice(
              "adapters",
              "promote",
              "acme-support-0001",
              "--reason",
              "customer escalation",
              "--actor",
              "alice",
              "--bootstrap-servers",
              servers);
      assertThat(promote.code()).as(promote.err()).isZero();
      assertThat(promote.out())
          .contains("PROMOTE acme-support-0001 on acme/support (registry version 1, by alice)");

      Run list = sluice("adapters", "list", "--tenant", "acme", "--bootstrap-servers", servers);
      assertThat(list.out()).contains("acme/support", "acme-support-0001", "MANUAL_PROMOTE");
      assertThat(
              sluice("adapters", "list", "--tenant", "globex", "--bootstrap-servers", servers)
                  .out())
          .doesNotContain("acme-support-0001");

      Run json = sluice("adapters", "list", "--json", "--bootstrap-servers", servers);
      JsonNode root = new ObjectMapper().readTree(json.out());
      assertThat(root.path("champions").get(0).path("version").asInt()).isEqualTo(1);
      assertThat(root.path("decisions").get(0).path("manual").asBoolean()).isTrue();

      Run show = sluice("adapters", "show", "acme-support-0001", "--bootstrap-servers", servers);
      assertThat(show.code()).isZero();
      assertThat(show.out())
          .contains("\"candidate\"", "customer escalation", "not readable from this machine");

      Run rollback =
          sluice(
              "adapters",
              "rollback",
              "--tenant",
              "acme",
              "--track",
              "support",
              "--reason",
              "oops",
              "--actor",
              "bob",
              "--bootstrap-servers",
              servers);
      assertThat(rollback.out())
          .contains(
              "ROLLBACK acme/support: acme-support-0001 -> (base model) (registry version 2, by bob)");

      Run again =
          sluice(
              "adapters",
              "rollback",
              "--tenant",
              "acme",
              "--track",
              "support",
              "--reason",
              "oops",
              "--bootstrap-servers",
              servers);
      assertThat(again.code()).isEqualTo(2);
      assertThat(again.err()).contains("no champion to roll back");

      Run unknown =
          sluice("adapters", "promote", "nope", "--reason", "x", "--bootstrap-servers", servers);
      assertThat(unknown.code()).isEqualTo(2);
      assertThat(unknown.err()).contains("no candidate nope");
    }
  }
}
