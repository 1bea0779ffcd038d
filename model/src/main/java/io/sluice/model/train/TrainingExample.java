package io.sluice.model.train;

import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.ToolCall;
import io.sluice.model.io.ToolSpec;
import java.util.List;

/**
 * One curated training record, Kafka-free: a conversation and either the answer to learn (SFT) or a
 * preferred and a dispreferred answer (preference pair, for DPO), or one voted answer (binary
 * feedback, for KTO).
 */
public sealed interface TrainingExample
    permits TrainingExample.Sft, TrainingExample.Preference, TrainingExample.Binary {

  String id();

  /** The conversation before the assistant's answer. */
  List<ChatTurn> messages();

  /** Held out from training (the curator's HOLDOUT split); used for evaluation only. */
  boolean holdout();

  /**
   * An answer to imitate: its text and the tool calls it makes, after a conversation whose trained
   * assistant turns are learned too.
   */
  record Sft(
      String id,
      List<ChatTurn> messages,
      String completion,
      boolean holdout,
      List<ToolCall> completionToolCalls,
      List<ToolSpec> tools)
      implements TrainingExample {
    public Sft {
      messages = List.copyOf(messages);
      completionToolCalls = List.copyOf(completionToolCalls);
      tools = List.copyOf(tools);
    }

    /** A text answer without tools. */
    public Sft(String id, List<ChatTurn> messages, String completion, boolean holdout) {
      this(id, messages, completion, holdout, List.of(), List.of());
    }
  }

  /** A pair where {@code chosen} should become more likely than {@code rejected}. */
  record Preference(
      String id,
      List<ChatTurn> messages,
      String chosen,
      String rejected,
      boolean holdout,
      List<ToolSpec> tools)
      implements TrainingExample {
    public Preference {
      messages = List.copyOf(messages);
      tools = List.copyOf(tools);
    }

    /** A pair without tools. */
    public Preference(
        String id, List<ChatTurn> messages, String chosen, String rejected, boolean holdout) {
      this(id, messages, chosen, rejected, holdout, List.of());
    }
  }

  /** One response with a thumbs up ({@code desirable}) or down, unpaired (for KTO). */
  record Binary(
      String id, List<ChatTurn> messages, String response, boolean desirable, boolean holdout)
      implements TrainingExample {
    public Binary {
      messages = List.copyOf(messages);
    }
  }
}
