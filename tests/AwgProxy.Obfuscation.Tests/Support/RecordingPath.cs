using System.Net;
using System.Threading.Channels;
using AwgProxy.Quic;
using AwgProxy.Quic.Transport.Paths;

namespace AwgProxy.Obfuscation.Tests.Support;

/// <summary>A datagram path that records every SendBatchAsync call and receives what a test queues. It reports ECN support.</summary>
public sealed class RecordingPath : IDatagramPath, IDatagramPathCapabilities
{
    private readonly Channel<(byte[] Payload, IPEndPoint From)> _inbox = Channel.CreateUnbounded<(byte[], IPEndPoint)>();

    public RecordingPath(int maxDatagramSize = Profiles.WireMtu) => MaxDatagramSize = maxDatagramSize;

    public EndPoint LocalEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 4242);

    public int MaxDatagramSize { get; }

    public bool SupportsEcn => true;

    public int MaxSendSegments => 8;

    public int MaxReceiveSegments => 8;

    /// <summary>Each SendBatchAsync call's datagrams, in order.</summary>
    public List<List<(byte[] Payload, IPEndPoint To, EcnCodepoint Ecn)>> SendCalls { get; } = [];

    public IEnumerable<byte[]> Sent => SendCalls.SelectMany(call => call.Select(d => d.Payload));

    public void Enqueue(byte[] payload, IPEndPoint from) => _inbox.Writer.TryWrite((payload, from));

    public async ValueTask<int> ReceiveBatchAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var count = 0;
        var (payload, from) = await _inbox.Reader.ReadAsync(cancellationToken);
        while (true)
        {
            payload.CopyTo(batch.GetArray(count), 0);
            batch.SetPayload(count, 0, payload.Length);
            batch.SetAddress(count, from);
            batch.SetEcn(count, EcnCodepoint.NotEct);
            count++;
            if (count == batch.Capacity || !_inbox.Reader.TryRead(out var next))
            {
                return count;
            }

            (payload, from) = next;
        }
    }

    public ValueTask SendBatchAsync(DatagramBatch batch, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var call = new List<(byte[], IPEndPoint, EcnCodepoint)>(count);
        for (var i = 0; i < count; i++)
        {
            if (batch.GetLength(i) > MaxDatagramSize)
            {
                throw new ArgumentException("Datagram exceeds the path's limit.", nameof(batch));
            }

            call.Add((batch.GetPayloadSpan(i).ToArray(), PathIo.ToEndPoint(batch.GetAddress(i)), batch.GetEcn(i)));
        }

        SendCalls.Add(call);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
