using System;
using System.Diagnostics;
using System.IO;
using Spectre.Console;
using TinyLmSample;

// Trains the character model and shows it: a progress bar while training, then a loss plot and generated text.
TrainingOptions options;
try
{
    options = TrainingOptions.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(TrainingOptions.Usage);
    return 2;
}

try
{
    Directory.CreateDirectory(options.Out);
    Corpus corpus = Corpus.Load(options.Corpus, options.MaxChars);
    using var trainer = new Trainer(options, corpus);
    if (options.Resume is not null) trainer.Resume(options.Resume);
    AnsiConsole.MarkupLine($"[bold]TinyLm[/]: {corpus.Train.Length:N0} training and {corpus.Validation.Length:N0} validation characters, " +
                           $"vocabulary {corpus.Vocab.Size}, {trainer.Model.ParameterCount:N0} parameters, steps {trainer.Step} -> {options.Steps}");

    if (options.Quiet || !AnsiConsole.Profile.Capabilities.Interactive) TrainPlain(trainer, options);
    else TrainWithProgress(trainer, options);

    string checkpoint = Path.Combine(options.Out, "tinylm.safetensors");
    trainer.SaveCheckpoint(checkpoint);
    string plot = Path.Combine(options.Out, "loss.png");
    LossPlot.Save(plot, trainer.TrainLosses, trainer.ValidationLosses);
    string sample = trainer.Generate("And God said, ", options.Generate);
    File.WriteAllText(Path.Combine(options.Out, "sample.txt"), sample);

    AnsiConsole.MarkupLine($"validation loss [bold]{trainer.ValidationLosses[^1].Loss:F3}[/] nats/char after {trainer.Step} steps");
    AnsiConsole.MarkupLine($"checkpoint [link]{checkpoint}[/], loss curve [link]{plot}[/]");
    AnsiConsole.Write(new Panel(Markup.Escape(sample)).Header("generated text").RoundedBorder());
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or Nnx.CheckpointFormatException or Nnx.StateMismatchException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static void TrainWithProgress(Trainer trainer, TrainingOptions options)
{
    AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
        .Start(context =>
        {
            ProgressTask task = context.AddTask("training", maxValue: options.Steps);
            task.Value = trainer.Step;
            RunSteps(trainer, options, (loss, charsPerSecond) =>
            {
                task.Description = $"step {trainer.Step}/{options.Steps}  loss {loss:F3}  {charsPerSecond:N0} chars/s";
                task.Value = trainer.Step;
            });
        });
}

static void TrainPlain(Trainer trainer, TrainingOptions options) =>
    RunSteps(trainer, options, (loss, charsPerSecond) =>
    {
        if (trainer.Step % options.EvalEvery == 0 || trainer.Step == options.Steps)
            Console.WriteLine($"step {trainer.Step}/{options.Steps}  loss {loss:F3}  {charsPerSecond:N0} chars/s");
    });

// The training loop shared by both displays: evaluation and checkpoints every N steps.
static void RunSteps(Trainer trainer, TrainingOptions options, Action<double, double> report)
{
    var clock = Stopwatch.StartNew();
    int first = trainer.Step;
    if (trainer.ValidationLosses.Count == 0) trainer.Evaluate();
    while (trainer.Step < options.Steps)
    {
        double loss = trainer.TrainStep();
        if (trainer.Step % options.EvalEvery == 0) trainer.Evaluate();
        if (trainer.Step % options.CheckpointEvery == 0) trainer.SaveCheckpoint(Path.Combine(options.Out, $"tinylm-step{trainer.Step}.safetensors"));
        report(loss, (trainer.Step - first) * (double)options.Batch / clock.Elapsed.TotalSeconds);
    }
    if (trainer.ValidationLosses[^1].Step != trainer.Step) trainer.Evaluate();
}
