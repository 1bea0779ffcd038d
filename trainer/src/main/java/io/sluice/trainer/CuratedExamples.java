package io.sluice.trainer;

import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.ModelFormatException;
import io.sluice.model.io.ToolCall;
import io.sluice.model.io.ToolSpec;
import io.sluice.model.train.TrainingExample;
import io.sluice.schemas.AvroJson;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.ExampleKind;
import io.sluice.schemas.avro.FeedbackLabel;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.Split;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one mapping from the curator's Avro {@link CuratedExample} to the model's {@link
 * TrainingExample}: used by the trainer service on the topic and by {@code sluice train} on the
 * JSON lines {@code sluice curate} writes.
 */
public final class CuratedExamples {

  private CuratedExamples() {}

  /** The training example a curated record stands for. */
  public static TrainingExample toTrainingExample(CuratedExample record) {
    List<ChatTurn> messages = messages(record);
    boolean holdout = record.getSplit() == Split.HOLDOUT;
    List<ToolSpec> tools =
        record.getTools().stream()
            .map(t -> new ToolSpec(t.getName(), t.getDescription(), t.getParameters()))
            .toList();
    if (record.getKind() == ExampleKind.SFT) {
      return new TrainingExample.Sft(
          record.getId(),
          messages,
          required(record, "completion", record.getCompletion()),
          holdout,
          toolCalls(record.getCompletionToolCalls()),
          tools);
    }
    if (record.getKind() == ExampleKind.BINARY_FEEDBACK) {
      FeedbackLabel label = required(record, "label", record.getLabel());
      String response = required(record, "completion", record.getCompletion());
      return new TrainingExample.Binary(
          record.getId(), messages, response, label == FeedbackLabel.DESIRABLE, holdout);
    }
    return new TrainingExample.Preference(
        record.getId(),
        messages,
        required(record, "chosen", record.getChosen()),
        required(record, "rejected", record.getRejected()),
        holdout,
        tools);
  }

  private static List<ToolCall> toolCalls(List<io.sluice.schemas.avro.ToolCall> calls) {
    return calls.stream().map(c -> new ToolCall(c.getId(), c.getName(), c.getArguments())).toList();
  }

  private static List<ChatTurn> messages(CuratedExample record) {
    Object prompt = record.getPrompt();
    if (prompt instanceof CharSequence text) {
      return List.of(ChatTurn.user(text.toString()));
    }
    List<ChatTurn> turns = new ArrayList<>();
    for (Object m : (List<?>) prompt) {
      ChatMessage message = (ChatMessage) m;
      // OpenAI's weight: 1 trains on the turn; 0 or none keeps it as context.
      boolean trained =
          message.getRole() == Role.assistant && Integer.valueOf(1).equals(message.getWeight());
      turns.add(
          new ChatTurn(
              message.getRole().name(),
              message.getContent(),
              toolCalls(message.getToolCalls()),
              message.getToolCallId(),
              trained));
    }
    if (turns.isEmpty()) {
      throw new ModelFormatException("curated record " + record.getId() + " has an empty prompt");
    }
    return turns;
  }

  private static <T> T required(CuratedExample record, String field, T value) {
    if (value == null) {
      throw new ModelFormatException(
          "curated " + record.getKind() + " record " + record.getId() + " has no '" + field + "'");
    }
    return value;
  }

  /** Reads a JSON-lines file of curated records; a bad line fails with its line number. */
  public static List<TrainingExample> readJsonLines(Path file) throws IOException {
    List<TrainingExample> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(toTrainingExample(AvroJson.fromJsonLine(line, CuratedExample.class)));
        } catch (RuntimeException e) {
          throw new ModelFormatException(file + ":" + number + ": " + e.getMessage(), e);
        }
      }
    } catch (NoSuchFileException e) {
      throw new ModelFormatException("no curated data file at " + file);
    }
    if (out.isEmpty()) {
      throw new ModelFormatException(file + " holds no records");
    }
    return out;
  }
}
