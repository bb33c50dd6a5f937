using System;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>Raw access to a CPU tensor's memory, for kernels that write results in place.</summary>
internal static partial class TensorMemory
{
    // TorchSharp's own entry point for Tensor.data<T>(); it returns tensor.data_ptr() (storage offset included).
    // TorchSharp exposes no public pointer getter, and Span-based Tensor.bytes stops at 2 GB.
    [LibraryImport("LibTorchSharp")]
    private static partial IntPtr THSTensor_data(IntPtr handle);

    /// <summary>The address of element 0 of a CPU tensor.</summary>
    public static unsafe void* Pointer(Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU)
            throw new ArgumentException($"Expected a CPU tensor, got one on {tensor.device}.", nameof(tensor));
        IntPtr data = THSTensor_data(tensor.Handle);
        if (data == IntPtr.Zero && tensor.numel() > 0)
            throw new InvalidOperationException("libtorch returned no data pointer for a non-empty tensor.");
        return (void*)data;
    }
}
