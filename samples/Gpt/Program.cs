using System;
using System.Diagnostics;
using System.IO;
using GptSample;
using Nnx;
using Spectre.Console;

// Trains the small GPT and shows it: a progress bar while training, then a loss plot and generated text.
// --config gpt2-small only builds GPT-2 small and prints its summary.
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

if (options.Help)
{
    Console.WriteLine(TrainingOptions.Usage);
    return 0;
}

if (options.SummaryOnly)
{
    using Gpt gpt2 = options.Model.Build(new Rngs(options.Seed));
    Console.Write(gpt2.Summary());
    Console.WriteLine($"{options.Model}: {gpt2.ParameterCount:N0} parameters, the output head tied to tokens.embedding");
    return 0;
}

try
{
    Directory.CreateDirectory(options.Out);
    var clock = Stopwatch.StartNew();
    TokenCorpus corpus = TokenCorpus.Load(options.Corpus, options.MaxChars, minTokens: (int)options.Model.Context + 1, options.FullVocab);
    // A prompt the vocabulary cannot encode fails now rather than after training.
    corpus.Vocab.ToModel(Gpt2Tokenizer.Encode(options.Prompt));
    using var trainer = new Trainer(options, corpus);
    if (options.Resume is not null) trainer.Resume(options.Resume);
    AnsiConsole.MarkupLine($"[bold]Gpt[/]: {corpus.Characters:N0} characters as {corpus.Train.Length:N0} training and {corpus.Validation.Length:N0} validation GPT-2 tokens " +
                           $"(tokenized in {clock.Elapsed.TotalSeconds:F1} s); {trainer.Config}, {trainer.Model.ParameterCount:N0} parameters; steps {trainer.Step} -> {options.Steps}");

    if (options.Quiet || !AnsiConsole.Profile.Capabilities.Interactive) TrainPlain(trainer, options);
    else TrainWithProgress(trainer, options);

    string checkpoint = Path.Combine(options.Out, "gpt.safetensors");
    trainer.SaveCheckpoint(checkpoint);
    string plot = Path.Combine(options.Out, "loss.png");
    LossPlot.Save(plot, trainer.TrainLosses, trainer.ValidationLosses);
    string sample = trainer.Generate(options.Prompt, options.Generate);
    File.WriteAllText(Path.Combine(options.Out, "sample.txt"), sample);

    AnsiConsole.MarkupLine($"validation loss [bold]{trainer.ValidationLosses[^1].Loss:F3}[/] nats/token after {trainer.Step} steps ({clock.Elapsed.TotalSeconds:F0} s in all)");
    AnsiConsole.MarkupLine($"checkpoint [link]{checkpoint}[/], loss curve [link]{plot}[/]");
    AnsiConsole.Write(new Panel(Markup.Escape(sample)).Header("generated text").RoundedBorder());
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or CheckpointFormatException or StateMismatchException)
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
            RunSteps(trainer, options, (loss, tokensPerSecond) =>
            {
                task.Description = $"step {trainer.Step}/{options.Steps}  loss {loss:F3}  lr {trainer.LearningRate:0.0e0}  {tokensPerSecond:N0} tokens/s";
                task.Value = trainer.Step;
            });
        });
}

static void TrainPlain(Trainer trainer, TrainingOptions options) =>
    RunSteps(trainer, options, (loss, tokensPerSecond) =>
    {
        if (trainer.Step % options.EvalEvery == 0 || trainer.Step == options.Steps)
            Console.WriteLine($"step {trainer.Step}/{options.Steps}  loss {loss:F3}  validation {trainer.ValidationLosses[^1].Loss:F3}  {tokensPerSecond:N0} tokens/s");
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
        if (trainer.Step % options.CheckpointEvery == 0) trainer.SaveCheckpoint(Path.Combine(options.Out, $"gpt-step{trainer.Step}.safetensors"));
        report(loss, (trainer.Step - first) * (double)trainer.TokensPerStep / clock.Elapsed.TotalSeconds);
    }
    if (trainer.ValidationLosses[^1].Step != trainer.Step) trainer.Evaluate();
}
