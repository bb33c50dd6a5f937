using TorchSharp;

namespace Nnx;

/// <summary>
/// Base of every generated module: a <c>torch.nn.Module</c> whose parameters, buffers and submodules are registered
/// by generated code (no reflection), so <c>parameters()</c>, optimizers, <c>state_dict()</c>, <c>to()</c> and
/// <c>Dispose()</c> work as for built-in TorchSharp modules.
/// </summary>
public abstract class Module : torch.nn.Module
{
    /// <summary>Creates the native module; <paramref name="name"/> is the type name shown by TorchSharp.</summary>
    protected Module(string name) : base(name) { }
}
