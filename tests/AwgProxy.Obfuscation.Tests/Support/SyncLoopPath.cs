using System.Net;
using AwgProxy.Quic;
using AwgProxy.Quic.Transport.Paths;

namespace AwgProxy.Obfuscation.Tests.Support;

/// <summary>
/// A path that completes every call synchronously and allocates nothing: sends are discarded, and every
/// receive hands out the same prepared wire datagram. For allocation checks of the envelope's own code.
/// </summary>
public sealed class SyncLoopPath : IDatagramPath
{
    private readonly byte[] _incoming;
    private readonly SocketAddress _from = new IPEndPoint(IPAddress.Loopback, 9999).Serialize();

    public SyncLoopPath(byte[] incoming) => _incoming = incoming;

    public EndPoint LocalEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 9998);

    public int MaxDatagramSize => Profiles.WireMtu;

    public long SentDatagrams { get; private set; }

    public ValueTask<int> ReceiveBatchAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _incoming.CopyTo(batch.GetArray(0), 0);
        batch.SetPayload(0, 0, _incoming.Length);
        batch.SetAddress(0, _from);
        batch.SetEcn(0, EcnCodepoint.NotEct);
        return ValueTask.FromResult(1);
    }

    public ValueTask SendBatchAsync(DatagramBatch batch, int count, CancellationToken cancellationToken)
    {
        SentDatagrams += count;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
