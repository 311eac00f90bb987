using System.Runtime.CompilerServices;
using AwgProxy.Interop.Transport;

namespace AwgProxy.Interop.QuicTransport;

/// <summary>Plugs the project's QUIC transport into the tool before <c>Main</c> runs.</summary>
internal static class QuicInteropTransportInstaller
{
    [ModuleInitializer]
    internal static void Install() => InteropTransport.Factory ??= new QuicInteropTransportFactory();
}
