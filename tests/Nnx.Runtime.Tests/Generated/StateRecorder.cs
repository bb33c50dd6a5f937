using System.Collections.Generic;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Generated;

/// <summary>Records every variable reachable through <see cref="IModule.VisitState"/> with its full dotted path.</summary>
internal sealed class StateRecorder : IStateVisitor
{
    private string _prefix = "";

    public List<(string Path, VariableKind Kind, Tensor Value)> Variables { get; } = [];

    public static StateRecorder Of(IModule module)
    {
        var recorder = new StateRecorder();
        module.VisitState(recorder);
        return recorder;
    }

    public void Variable(string name, VariableKind kind, Tensor value) => Variables.Add((_prefix + name, kind, value));

    public void Submodule(string name, IModule module)
    {
        string outer = _prefix;
        _prefix = outer + name + ".";
        module.VisitState(this);
        _prefix = outer;
    }
}
