using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Trains a module with an <see cref="UpdateRule"/> (Flax NNX's <c>nnx.Optimizer(model, tx, wrt=nnx.Param)</c>, used
/// as PyTorch's optimizers are): <c>loss.backward(); optimizer.Step();</c>, or <see cref="Step(State)"/> with
/// gradients computed some other way. Each parameter is updated in one fused pass over parameter, gradient and moments.
/// </summary>
/// <remarks>
/// <para>The optimizer is itself a module whose state is the model's (under <c>model</c>), the update count
/// <c>step</c> and the rule's moments (<c>opt_state.mu.&lt;path&gt;</c>, <c>opt_state.nu.&lt;path&gt;</c> for Adam,
/// <c>opt_state.trace.&lt;path&gt;</c> for momentum), all of kind <see cref="VariableKind.OptState"/> except the model's.
/// So <c>optimizer.SaveCheckpoint(path)</c> writes model and optimizer to one file, <c>LoadCheckpoint</c> resumes
/// exactly, <c>GetState(VariableKind.OptState)</c> selects the optimizer's part, and <c>Clone()</c> copies both
/// (the copy's <see cref="Model"/> is a copy too). Disposing the optimizer leaves the model alone.</para>
/// <para>Parameters without a gradient are skipped, as in PyTorch; the update count and the learning-rate schedule
/// advance once per step for all (as in optax). Every selected variable gets its moments when the optimizer is built,
/// as in optax, frozen ones too: leave those out with <c>wrt</c>, e.g.
/// <c>StateFilter.Param &amp; StateFilter.Where(v =&gt; v.Value.requires_grad, "trainable")</c>. A table looked up with <c>sparseGradient: true</c> hands its
/// gradient over as rows (<see cref="RowGradients"/>), applied as <see cref="RowUpdate"/> says.</para>
/// <para>Fused kernels run float32 and float64 parameters in CPU memory; other parameters are updated with the same
/// formulas as tensor operations. Not thread-safe: step from one thread.</para>
/// </remarks>
public sealed class Optimizer : Module
{
    private readonly Tensor _step;
    private readonly List<ParamSlot> _slots = [];
    private readonly Dictionary<string, ParamSlot> _byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>An optimizer for the variables of <paramref name="model"/> that <paramref name="wrt"/> selects.</summary>
    /// <param name="model">The module to train; its parameter objects are updated in place.</param>
    /// <param name="rule">The update rule, e.g. <c>UpdateRule.AdamW(3e-4).ClipByGlobalNorm(1.0)</c>.</param>
    /// <param name="wrt">Which variables to update (NNX's <c>wrt</c>); every <see cref="VariableKind.Param"/> by default.</param>
    /// <param name="rowUpdate">How row gradients of sparse lookups are applied.</param>
    /// <exception cref="ArgumentException">The filter selects no variable, or a variable that is not floating point.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowUpdate"/> is not a defined value.</exception>
    public Optimizer(IModule model, UpdateRule rule, StateFilter? wrt = null, RowUpdate rowUpdate = RowUpdate.DenseExact)
        : base(nameof(Optimizer))
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rule);
        if (!Enum.IsDefined(rowUpdate))
            throw new ArgumentOutOfRangeException(nameof(rowUpdate), rowUpdate, "Expected RowUpdate.DenseExact or RowUpdate.Lazy.");
        Model = model;
        Rule = rule;
        Wrt = wrt ?? StateFilter.Param;
        RowUpdate = rowUpdate;
        State state = model.GetState(Wrt);
        if (state.Count == 0)
            throw new ArgumentException($"The filter {Wrt} selects no variable of {model.GetType().Name}; an optimizer needs something to update.", nameof(wrt));
        foreach (StateVariable v in state.Values)
            if (!v.Value.is_floating_point())
                throw new ArgumentException($"The filter {Wrt} selects '{v.Path}', a {StateFormat.DTypeName(v.DType)} variable; only floating-point variables can be trained. Narrow the filter.", nameof(wrt));
        foreach (StateVariable v in state.Values)
        {
            bool decay = rule.WeightDecayMask?.Matches(v) ?? true;
            var slot = new ParamSlot(v.Path, v.Value, rule.MomentNames, decay);
            _slots.Add(slot);
            _byPath.Add(v.Path, slot);
        }
        foreach (var (alias, stored) in model.GetState().Aliases)
            if (_byPath.ContainsKey(stored)) _aliases.Add(alias, stored);
        _step = torch.zeros(Array.Empty<long>(), ScalarType.Int64).DetachFromDisposeScope();
    }

    /// <summary>The module being trained.</summary>
    public IModule Model { get; }

    /// <summary>The update rule.</summary>
    public UpdateRule Rule { get; }

    /// <summary>The filter of the variables updated.</summary>
    public StateFilter Wrt { get; }

    /// <summary>How row gradients of sparse lookups are applied.</summary>
    public RowUpdate RowUpdate { get; }

    /// <summary>The number of updates made so far (NNX's <c>optimizer.step</c>), restored with the state.</summary>
    public long StepCount
    {
        get
        {
            ThrowIfDisposed();
            return _step.item<long>();
        }
    }

    /// <summary>The learning rate the next update uses: the schedule at <see cref="StepCount"/>.</summary>
    public double LearningRate => Rule.LearningRate.At(StepCount);

    /// <summary>
    /// One update from the gradients <c>backward()</c> left: each variable's <c>grad</c>, and the row gradients of its
    /// sparse lookups (which this consumes). Variables without a gradient are left alone. As in PyTorch, dense
    /// gradients stay until <see cref="ZeroGrad"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The schedule gave a non-finite rate, or the model's variables changed
    /// shape or path since the optimizer was built. Nothing was updated.</exception>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void Step()
    {
        ThrowIfDisposed();
        FollowModel();
        var (count, learningRate) = NextRate();
        var steps = new List<SlotStep>();
        try
        {
            foreach (ParamSlot slot in _slots)
            {
                List<RowLookup> lookups = RowGradients.Of(slot.Param)?.TakeAll() ?? [];
                if (SlotStep.Create(slot, slot.Param.grad, ownsDense: true, lookups) is SlotStep step) steps.Add(step);
            }
            Apply(steps, count, learningRate);
        }
        finally
        {
            foreach (SlotStep step in steps) step.Dispose();
        }
    }

    /// <summary>
    /// One update from explicit gradients (NNX's <c>optimizer.update(model, grads)</c>): a state whose paths are the
    /// model's, e.g. one built from <c>model.GetState()</c> paths with gradient tensors. Paths left out are not updated.
    /// </summary>
    /// <remarks>
    /// Named <c>Step</c>, not <c>Update</c>: <c>optimizer.Update(state)</c> is <see cref="ModuleState.Update"/>, which
    /// writes a state into the optimizer (NNX's <c>nnx.update</c>), e.g. to restore moments.
    /// </remarks>
    /// <exception cref="ArgumentException">A path is not updated by this optimizer, is given twice, or its gradient's
    /// shape, dtype or device differs from the variable's. Nothing was updated.</exception>
    public void Step(State grads)
    {
        ArgumentNullException.ThrowIfNull(grads);
        Step(grads.Values.ToDictionary(v => v.Path, v => v.Value, StringComparer.Ordinal));
    }

    /// <summary>One update from gradients by model path (as <see cref="Step(State)"/>); an alias path of a tied variable works too.</summary>
    /// <exception cref="ArgumentException">As <see cref="Step(State)"/>.</exception>
    public void Step(IReadOnlyDictionary<string, Tensor> grads)
    {
        ArgumentNullException.ThrowIfNull(grads);
        ThrowIfDisposed();
        FollowModel();
        var given = new Dictionary<ParamSlot, string>();
        foreach (var (path, gradient) in grads)
        {
            if (path is null) throw new ArgumentException("A gradient has a null path.", nameof(grads));
            string stored = _aliases.TryGetValue(path, out string? target) ? target : path;
            if (!_byPath.TryGetValue(stored, out ParamSlot? slot))
                throw new ArgumentException(
                    $"No variable '{path}' is updated by this optimizer; paths are the model's: {string.Join(", ", _byPath.Keys)}.", nameof(grads));
            if (gradient is null) throw new ArgumentException($"The gradient for '{path}' is null.", nameof(grads));
            if (!given.TryAdd(slot, path))
                throw new ArgumentException($"'{path}' and '{given[slot]}' are the same tied variable; give its gradient once.", nameof(grads));
        }
        var (count, learningRate) = NextRate();
        var steps = new List<SlotStep>();
        try
        {
            foreach (ParamSlot slot in _slots)
                if (given.TryGetValue(slot, out string? path) && SlotStep.Create(slot, grads[path], ownsDense: false, []) is SlotStep step)
                    steps.Add(step);
            Apply(steps, count, learningRate);
        }
        finally
        {
            foreach (SlotStep step in steps) step.Dispose();
        }
    }

    /// <summary>
    /// Clears the gradients of every updated variable (PyTorch's <c>zero_grad(set_to_none=True)</c>) and the row
    /// gradients of their sparse lookups.
    /// </summary>
    public void ZeroGrad()
    {
        ThrowIfDisposed();
        FollowModel();
        foreach (ParamSlot slot in _slots)
        {
            slot.Param.grad = null;
            RowGradients.Of(slot.Param)?.Clear();
        }
    }

    /// <summary>Reports <c>model</c>, then <c>step</c>, then the moments, rule moment by rule moment.</summary>
    public override void VisitState(IStateVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        ThrowIfDisposed();
        FollowModel();
        visitor.Submodule("model", Model);
        visitor.Variable("step", VariableKind.OptState, _step);
        string[] names = Rule.MomentNames;
        for (int i = 0; i < names.Length; i++)
            foreach (ParamSlot slot in _slots)
                visitor.Variable($"opt_state.{names[i]}.{slot.Path}", VariableKind.OptState, slot.Moments[i]);
    }

    /// <summary>
    /// The model's definition, the rule, the filter and the row update: <c>NewLike</c> makes a fresh optimizer (step 0,
    /// zero moments) over a new model, and <c>Clone</c>/<c>Merge</c> copy the state into one.
    /// </summary>
    public override ModuleDefinition Definition => new(typeof(Optimizer),
        [
            new("model", ModuleArgumentKind.Option, Model.Definition), new("rule", ModuleArgumentKind.Option, Rule),
            new("wrt", ModuleArgumentKind.Option, Wrt), new("rowUpdate", ModuleArgumentKind.Option, RowUpdate),
        ],
        static (a, rngs) =>
        {
            IModule model = ((ModuleDefinition)a[0]!).Build(rngs);
            try
            {
                return new Optimizer(model, (UpdateRule)a[1]!, (StateFilter)a[2]!, (RowUpdate)a[3]!);
            }
            catch
            {
                (model as IDisposable)?.Dispose();
                throw;
            }
        });

    /// <summary>Converts or moves the model, then the moments with their parameters; the step count stays on the CPU.</summary>
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        Nnx.Dsl.ModuleSupport.MoveTo(ModuleState.Torch(Model), dtype, device, non_blocking);
        FollowModel();
        if (device is not null)
        {
            _deviceType = device.type;
            _deviceIndex = device.index;
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            foreach (ParamSlot slot in _slots) slot.Dispose();
            _step.Dispose();
        }
        base.Dispose(disposing);
    }

    // Checked before any gradient is taken, so a bad schedule leaves row gradients in place too.
    private (long Count, double LearningRate) NextRate()
    {
        long count = _step.item<long>();
        double learningRate = Rule.LearningRate.At(count);
        if (!double.IsFinite(learningRate))
            throw new InvalidOperationException($"The learning-rate schedule {Rule.LearningRate} gave {learningRate} at step {count}; expected a finite rate. Nothing was updated.");
        return (count, learningRate);
    }

    private void Apply(List<SlotStep> steps, long count, double learningRate)
    {
        (double, double)? clip = null;
        if (Rule.MaxGlobalNorm is double max)
        {
            double norm = Math.Sqrt(steps.Sum(s => s.SumOfSquares()));
            // optax clips unless the norm is below the maximum, so a NaN norm clips (and poisons) every update.
            if (!(norm < max)) clip = (norm, max);
        }
        foreach (SlotStep step in steps) step.Run(Rule, count + 1, learningRate, RowUpdate, clip);
        _step.fill_(count + 1);
    }

    // The model's to() replaces its parameter objects; find the new ones by path and move the moments along.
    private void FollowModel()
    {
        if (_slots.All(s => !s.Param.IsInvalid)) return;
        State state = Model.GetState(Wrt);
        var problems = new List<string>();
        foreach (ParamSlot slot in _slots)
        {
            if (!state.TryGetValue(slot.Path, out StateVariable? v)) problems.Add($"'{slot.Path}' is gone");
            else if (!v.Shape.SequenceEqual(slot.Moments.FirstOrDefault()?.shape ?? v.Shape)) problems.Add($"'{slot.Path}' is now {StateFormat.Describe(v.DType, v.Shape)}");
        }
        if (problems.Count > 0)
            throw new InvalidOperationException(
                $"The variables of {Model.GetType().Name} changed since the optimizer was built ({string.Join("; ", problems)}); build a new optimizer for the new model.");
        foreach (ParamSlot slot in _slots) slot.Follow(state[slot.Path].Value);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
