package io.sluice.model;

/** Receives every optimiser step; the CLI draws a progress bar from it. */
@FunctionalInterface
public interface ProgressListener {
  void onStep(TrainingProgress progress);
}
