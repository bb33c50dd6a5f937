using System.Collections.Generic;
using System.Linq;

namespace GptSample;

/// <summary>Writes the training and validation loss curves as a PNG.</summary>
internal static class LossPlot
{
    public static void Save(string path, IReadOnlyList<(int Step, double Loss)> train, IReadOnlyList<(int Step, double Loss)> validation)
    {
        var plot = new ScottPlot.Plot();
        var trainLine = plot.Add.ScatterLine(train.Select(p => (double)p.Step).ToArray(), train.Select(p => p.Loss).ToArray());
        trainLine.LegendText = "train (batch)";
        trainLine.LineWidth = 1;
        if (validation.Count > 0)
        {
            var validationLine = plot.Add.Scatter(validation.Select(p => (double)p.Step).ToArray(), validation.Select(p => p.Loss).ToArray());
            validationLine.LegendText = "validation";
            validationLine.LineWidth = 2;
        }
        plot.Title("Gpt: cross-entropy per GPT-2 token");
        plot.XLabel("step");
        plot.YLabel("loss (nats)");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }
}
