using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

// Nnx.CrashProbe <assembly path> <type name> <method> [<method> ...]
//
// Calls each named public static parameterless method of the type, in order, and writes one line per event to
// stdout, tab-separated, flushed at once so a parent still sees every line before an abort:
//   BEGIN    <method>
//   RETURNED <method> <result>                  a Tensor as "<dtype> [<shape>] v0,v1,..." (at most 256 values,
//                                               shortest round-trip doubles), anything else as its ToString()
//   THREW    <method> <exception type> <message>
// Tabs, newlines and backslashes inside a field are escaped as \t, \n and \\. The exit code is 0 when every
// method returned or threw a .NET exception; a native abort ends the process with the signal's code instead
// (134 for SIGABRT, 139 for SIGSEGV), after a BEGIN with no matching outcome.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Nnx.CrashProbe <assembly path> <type name> <method> [<method> ...]");
    return 2;
}

Type? type = Assembly.LoadFrom(args[0]).GetType(args[1]);
if (type is null)
{
    Console.Error.WriteLine($"type '{args[1]}' not found in {args[0]}");
    return 2;
}

foreach (string name in args.Skip(2))
{
    MethodInfo? method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes);
    if (method is null)
    {
        Console.Error.WriteLine($"{args[1]} has no public static parameterless method '{name}'");
        return 2;
    }
    Write("BEGIN", name);
    string outcome;
    try
    {
        outcome = Describe(method.Invoke(null, null));
    }
    catch (Exception e)
    {
        // Managed exceptions never end the probe: only a native abort or crash may, and the parent tells them apart.
        Exception thrown = e is TargetInvocationException { InnerException: Exception inner } ? inner : e;
        Write("THREW", name, thrown.GetType().FullName!, thrown.Message);
        continue;
    }
    Write("RETURNED", name, outcome);
}
return 0;

static void Write(params string[] fields)
{
    Console.Out.WriteLine(string.Join('\t', fields.Select(Escape)));
    Console.Out.Flush();
}

static string Escape(string field) => field.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "");

static string Describe(object? result)
{
    if (result is not Tensor t) return result?.ToString() ?? "null";
    using Tensor flat = t.detach().cpu().to(ScalarType.Float64).reshape(-1);
    double[] values = flat.data<double>().ToArray();
    string shown = string.Join(",", values.Take(256).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
    return $"{t.dtype} [{string.Join(",", t.shape)}] {shown}";
}
