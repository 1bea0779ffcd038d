package io.sluice.model.train;

import io.sluice.model.skills.SuiteResult;
import java.nio.file.Path;
import java.util.Optional;

/** What {@link Pretrainer#run} produced: the model directory and how training went. */
public record PretrainResult(
    Path out,
    int steps,
    double firstLoss,
    double finalLoss,
    long tokens,
    double seconds,
    Optional<SuiteResult> suite) {}
