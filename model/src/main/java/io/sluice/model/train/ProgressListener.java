package io.sluice.model.train;

/** Receives every optimiser step; the CLI draws a progress bar from it. */
@FunctionalInterface
public interface ProgressListener {
  void onStep(TrainingProgress progress);
}
