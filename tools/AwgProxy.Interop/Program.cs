using System.Runtime.InteropServices;
using AwgProxy.Interop;
using AwgProxy.Interop.Transport;

// SIGINT / SIGTERM stop a server (or client) cleanly, like quicgo-peer's signal handling.
using var stop = new CancellationTokenSource();
using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

return await InteropProgram.RunAsync(args, InteropTransport.Factory, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
