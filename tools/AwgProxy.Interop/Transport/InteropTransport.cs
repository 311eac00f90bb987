namespace AwgProxy.Interop.Transport;

/// <summary>
/// The hook through which the real QUIC transport reaches the tool. The integrator sets
/// <see cref="Factory"/> before <c>Main</c> runs, e.g. from a <c>[ModuleInitializer]</c> in the adapter
/// file. While it is null every command prints <c>RESULT fail transport unavailable</c> and exits with 1.
/// </summary>
public static class InteropTransport
{
    public static IInteropTransportFactory? Factory { get; set; }
}
