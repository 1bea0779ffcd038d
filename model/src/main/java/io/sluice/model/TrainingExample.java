package io.sluice.model;

import java.util.List;

/**
 * One curated training record, Kafka-free: a conversation and either the answer to learn (SFT)
 * or a preferred and a dispreferred answer (preference pair, for DPO), or one voted answer (binary
 * feedback, for KTO).
 */
public sealed interface TrainingExample
    permits TrainingExample.Sft, TrainingExample.Preference, TrainingExample.Binary {

  String id();

  /** The conversation before the assistant's answer. */
  List<ChatTurn> messages();

  /** Held out from training (the curator's HOLDOUT split); used for evaluation only. */
  boolean holdout();

  /** An answer to imitate. */
  record Sft(String id, List<ChatTurn> messages, String completion, boolean holdout) implements TrainingExample {
    public Sft {
      messages = List.copyOf(messages);
    }
  }

  /** A pair where {@code chosen} should become more likely than {@code rejected}. */
  record Preference(String id, List<ChatTurn> messages, String chosen, String rejected, boolean holdout)
      implements TrainingExample {
    public Preference {
      messages = List.copyOf(messages);
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
