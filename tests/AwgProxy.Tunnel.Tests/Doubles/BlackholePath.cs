using System.Net;
using AwgProxy.Quic.Transport.Paths;

namespace AwgProxy.Tunnel.Tests.Doubles;

/// <summary>A switch shared by <see cref="BlackholePath"/>s: while on, the network carries nothing either way.</summary>
internal sealed class Blackhole
{
    private volatile bool _on;

    public bool On
    {
        get => _on;
        set => _on = value;
    }
}

/// <summary>A datagram path that drops everything, sent and received, while its <see cref="Blackhole"/> is on.</summary>
internal sealed class BlackholePath(IDatagramPath inner, Blackhole blackhole) : IDatagramPath
{
    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public int MaxDatagramSize => inner.MaxDatagramSize;

    public int MaxReceiveDatagramSize => inner.MaxReceiveDatagramSize;

    public async ValueTask<int> ReceiveBatchAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            int count = await inner.ReceiveBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            if (!blackhole.On) return count;
        }
    }

    public ValueTask SendBatchAsync(DatagramBatch batch, int count, CancellationToken cancellationToken) =>
        blackhole.On ? ValueTask.CompletedTask : inner.SendBatchAsync(batch, count, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
