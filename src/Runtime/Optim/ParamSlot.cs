using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>One variable an <see cref="Optimizer"/> updates: its path in the model, the live tensor, and its moments.</summary>
internal sealed class ParamSlot : IDisposable
{
    public ParamSlot(string path, Tensor param, string[] momentNames, bool decay)
    {
        Path = path;
        Param = param;
        Decay = decay;
        Moments = new Tensor[momentNames.Length];
        using (torch.no_grad())
            for (int i = 0; i < Moments.Length; i++)
                Moments[i] = torch.zeros_like(param).DetachFromDisposeScope();
    }

    public string Path { get; }

    /// <summary>The model's tensor; replaced when the model's <c>to()</c> replaced it.</summary>
    public Tensor Param { get; private set; }

    /// <summary>Per-parameter state in the rule's order (Adam: mu, nu; momentum: trace), the parameter's shape and dtype.</summary>
    public Tensor[] Moments { get; }

    /// <summary>Whether AdamW's weight decay applies.</summary>
    public bool Decay { get; }

    /// <summary>Buffers for summing row gradients, made on the first sparse step.</summary>
    public RowSums? Rows { get; set; }

    public Tensor? First => Moments.Length > 0 ? Moments[0] : null;

    public Tensor? Second => Moments.Length > 1 ? Moments[1] : null;

    /// <summary>Points at the model's new tensor for this path and moves the moments to its dtype and device.</summary>
    public void Follow(Tensor param)
    {
        Param = param;
        for (int i = 0; i < Moments.Length; i++)
        {
            Tensor moment = Moments[i];
            if (moment.dtype == param.dtype && moment.device_type == param.device_type && moment.device_index == param.device_index) continue;
            using (torch.no_grad())
                Moments[i] = moment.to(param.dtype, param.device).DetachFromDisposeScope();
            moment.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (Tensor moment in Moments) moment.Dispose();
        Rows?.Dispose();
    }
}
