using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace Nnx.Benchmarks.Optim;

/// <summary>
/// PyTorch in Python (<c>torch_peer.py</c>, Debian's <c>python3-torch</c>) as a peer process: it builds the same
/// models, then runs steps on request and reports their time. Absent when python3 cannot import torch.
/// </summary>
internal sealed class PythonPeer : IDisposable
{
    private readonly Process _process;

    private PythonPeer(Process process, string version)
    {
        _process = process;
        TorchVersion = version;
    }

    /// <summary>The PyTorch version the peer runs.</summary>
    public string TorchVersion { get; }

    /// <summary>
    /// Starts the peer with as many intra-op threads as this process's libtorch uses, or returns null (and says why on
    /// stderr) when Python or its torch is missing. Debian's interpreter comes first: it is the one python3-torch is for.
    /// </summary>
    public static PythonPeer? Start(int threads)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Optim", "torch_peer.py");
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python, $"\"{script}\" {threads}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        try
        {
            Process process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
            string? ready = process.StandardOutput.ReadLine();
            if (ready is null || !ready.StartsWith("ready ", StringComparison.Ordinal))
            {
                process.WaitForExit();
                Console.Error.WriteLine("The Python peer did not start (is python3-torch installed? run Optim/with-python-torch.sh).");
                return null;
            }
            return new PythonPeer(process, ready["ready ".Length..]);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"No Python peer: {e.Message}");
            return null;
        }
    }

    /// <summary>A peer that runs <paramref name="workload"/> in Python.</summary>
    public TimedPeer Peer(string name, string workload) => new(name, calls =>
    {
        _process.StandardInput.WriteLine($"{workload} {calls}");
        _process.StandardInput.Flush();
        string reply = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The Python peer exited.");
        return double.Parse(reply, CultureInfo.InvariantCulture);
    });

    public void Dispose()
    {
        _process.StandardInput.WriteLine("quit");
        _process.StandardInput.Flush();
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
