package io.sluice.curator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.AvroJson;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.RejectedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tool calls, tool results, weights and tool definitions through the whole curation. */
class ToolContentCurationTest {

  @TempDir Path dir;

  private final OfflineCurator curator =
      new OfflineCurator(
          CuratorConfig.defaults(),
          Clock.fixed(Instant.parse("2025-04-01T12:00:00Z"), ZoneOffset.UTC));

  private static final String TOOLS =
      "'tools':[{'name':'lookup_customer','description':'Find a customer by email',"
          + "'parameters':{'type':'object','properties':{'email':{'type':'string'}}}}],"
          + "'parallel_tool_calls':false";

  /** PII in the call's arguments, in the tool's result and in the final call's arguments. */
  private static final String CALLING =
      ("{'type':'example','id':'t1','tenant':'acme','track':'support','prompt':["
              + "{'role':'user','content':'Please check my account, I am jane@example.com'},"
              + "{'role':'assistant','content':'','tool_calls':[{'id':'c1','name':'lookup_customer',"
              + "'arguments':'{\\'email\\': \\'jane@example.com\\'}'}],'weight':1},"
              + "{'role':'tool','tool_call_id':'c1','content':'Jane Doe, phone 212-555-0199, plan Gold'},"
              + "{'role':'assistant','content':'You are on the Gold plan.','weight':0},"
              + "{'role':'user','content':'Text me the invoice'}],"
              + "'completion_tool_calls':[{'id':'c2','name':'send_sms',"
              + "'arguments':'{\\'to\\': \\'212-555-0199\\', \\'text\\': \\'Your invoice\\'}'}],"
              + TOOLS
              + "}")
          .replace('\'', '"');

  @Test
  void shouldAnonymizeToolArgumentsAndResultsAndKeepEverythingElse() throws IOException {
    CuratedExample out = curateOne(CALLING).get(0);

    List<ChatMessage> prompt = turns(out);
    String arguments = prompt.get(1).getToolCalls().get(0).getArguments();
    assertThat(arguments).isEqualTo("{\"email\":\"<EMAIL_1>\"}");
    assertThat(prompt.get(0).getContent()).contains("<EMAIL_1>");
    assertThat(prompt.get(2).getContent()).contains("<PHONE_1>").doesNotContain("555-0199");
    assertThat(prompt.get(2).getToolCallId()).isEqualTo("c1");
    assertThat(prompt.get(1).getWeight()).isEqualTo(1);
    assertThat(prompt.get(3).getWeight()).isZero();
    assertThat(out.getCompletion()).isEmpty();
    assertThat(out.getCompletionToolCalls().get(0).getArguments())
        .isEqualTo("{\"to\":\"<PHONE_1>\",\"text\":\"Your invoice\"}");
    assertThat(out.getTools())
        .singleElement()
        .satisfies(t -> assertThat(t.getDescription()).isEqualTo("Find a customer by email"));
    assertThat(out.getParallelToolCalls()).isFalse();
    assertThat(out.getPiiCounts()).containsEntry("EMAIL", 1).containsEntry("PHONE", 1);
    assertThat(AvroJson.toJsonLine(out)).doesNotContain("jane@").doesNotContain("555-0199");
  }

  @Test
  void shouldDropACopyOfAToolCallingConversation() throws IOException {
    List<CuratedExample> out = curateOne(CALLING + "\n" + CALLING.replace("\"t1\"", "\"t3\""));

    assertThat(out).extracting(CuratedExample::getId).containsExactly("t1");
    assertThat(rejected()).extracting(RejectedEvent::getReason).containsExactly("DUPLICATE");
  }

  @Test
  void shouldHashToolCallsResultsAndWeights() {
    String hash = hash(CALLING);

    assertThat(hash(CALLING.replace("Your invoice", "Your receipt"))).isNotEqualTo(hash);
    assertThat(hash(CALLING.replace("plan Gold", "plan Silver"))).isNotEqualTo(hash);
    assertThat(hash(CALLING.replace("\"weight\":0", "\"weight\":1"))).isNotEqualTo(hash);
    assertThat(hash(CALLING.replace("by email", "by e-mail"))).isNotEqualTo(hash);
    assertThat(hash(CALLING.replace("\"t1\"", "\"t9\""))).isEqualTo(hash);
  }

  private static String hash(String line) {
    var event =
        ((io.sluice.schemas.event.ParseResult.Valid)
                io.sluice.schemas.event.NativeEvents.parse(
                    json(line), io.sluice.schemas.event.ServerDefaults.system()))
            .event();
    var candidate =
        new io.sluice.curator.convert.FeedbackConverter().convert(event).candidates().get(0);
    return io.sluice.curator.dedup.ContentKeys.contentHash(candidate);
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String line) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void shouldJudgeAnAnswerThatOnlyCallsAToolByTheCall() throws IOException {
    String noise = CALLING.replace("Your invoice", "#$%&*@#$%&*@#$%&*@#$%&*@#$%&*@#$%&*@");

    assertThat(curateOne(noise)).isEmpty();
    assertThat(rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getReason()).isEqualTo("TOO_MANY_SYMBOLS");
              assertThat(r.getDetail()).contains("completion is");
            });
  }

  private List<CuratedExample> curateOne(String lines) throws IOException {
    Path input = dir.resolve("events.jsonl");
    Files.writeString(input, lines + "\n");
    curator.run(input, dir.resolve("curated.jsonl"), dir.resolve("rejected.jsonl"));
    return Files.readAllLines(dir.resolve("curated.jsonl")).stream()
        .map(l -> AvroJson.fromJsonLine(l, CuratedExample.class))
        .toList();
  }

  private List<RejectedEvent> rejected() throws IOException {
    return Files.readAllLines(dir.resolve("rejected.jsonl")).stream()
        .map(l -> AvroJson.fromJsonLine(l, RejectedEvent.class))
        .toList();
  }

  private static List<ChatMessage> turns(CuratedExample record) {
    return ((List<?>) record.getPrompt()).stream().map(ChatMessage.class::cast).toList();
  }
}
