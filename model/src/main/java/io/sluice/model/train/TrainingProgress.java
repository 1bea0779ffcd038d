package io.sluice.model.train;

/** One optimiser step's figures, for progress bars and reports. */
public record TrainingProgress(
    int step,
    int totalSteps,
    double loss,
    double tokensPerSecond,
    double learningRate,
    double elapsedSeconds) {}
