using System.Security.Cryptography;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Simulation;

/// <summary>
/// Moves a byte array over one stream as an application would: writes as much as the sender accepts (back-pressure),
/// finishes, and reads everything on the receiving side; compares SHA-256 hashes at the end. Call <see cref="Pump"/>
/// every simulation step (see <see cref="Pair.OnStep"/>).
/// </summary>
internal sealed class StreamTransfer
{
    private readonly byte[] _data;
    private readonly IncrementalHash _received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _readBuffer = new byte[32 * 1024];
    private int _written;
    private bool _finishSent;

    public StreamTransfer(Connection sender, Connection receiver, ulong streamId, byte[] data)
    {
        Sender = sender;
        Receiver = receiver;
        StreamId = streamId;
        _data = data;
    }

    public Connection Sender { get; }

    public Connection Receiver { get; }

    public ulong StreamId { get; }

    /// <summary>The receiver knows the stream (it opened it, or saw StreamOpened).</summary>
    public bool ReceiverKnowsStream { get; set; }

    public long BytesReceived { get; private set; }

    public bool IsComplete { get; private set; }

    /// <summary>How many writes were cut short by back-pressure.</summary>
    public int ShortWrites { get; private set; }

    public static byte[] RandomData(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public void Pump()
    {
        if (Sender.State != ConnectionState.Connected && Sender.State != ConnectionState.Handshaking) return;
        while (_written < _data.Length)
        {
            int chunk = Math.Min(64 * 1024, _data.Length - _written);
            int accepted = Sender.StreamWrite(StreamId, _data.AsSpan(_written, chunk));
            _written += accepted;
            if (accepted < chunk)
            {
                ShortWrites++;
                break;
            }
        }

        if (_written == _data.Length && !_finishSent)
        {
            Sender.StreamFinish(StreamId);
            _finishSent = true;
        }

        if (!ReceiverKnowsStream || IsComplete || Receiver.State != ConnectionState.Connected) return;
        while (true)
        {
            int read = Receiver.StreamRead(StreamId, _readBuffer, out bool finished);
            if (read > 0)
            {
                _received.AppendData(_readBuffer, 0, read);
                BytesReceived += read;
            }

            if (finished)
            {
                IsComplete = true;
                return;
            }

            if (read == 0) return;
        }
    }

    /// <summary>All bytes arrived, finished, with the SHA-256 of what was sent (call once, at the end).</summary>
    public bool IsIntact() => IsComplete && BytesReceived == _data.Length && SHA256.HashData(_data).AsSpan().SequenceEqual(_received.GetHashAndReset());

    public void AssertIntact()
    {
        Assert.True(IsComplete, $"stream {StreamId}: {BytesReceived} of {_data.Length} bytes received, not finished");
        Assert.Equal(_data.Length, BytesReceived);
        Assert.Equal(SHA256.HashData(_data), _received.GetHashAndReset());
    }
}

/// <summary>Runs several <see cref="StreamTransfer"/>s on a <see cref="Pair"/>, learning peer-opened streams from StreamOpened events.</summary>
internal sealed class TransferSet
{
    private readonly List<StreamTransfer> _transfers = [];

    public TransferSet(Pair pair)
    {
        Pair = pair;
        pair.OnStep += Pump;
        Action<Connection, ConnectionEvent>? previous = pair.OnEvent;
        pair.OnEvent = (connection, e) =>
        {
            previous?.Invoke(connection, e);
            if (e.Kind != ConnectionEventKind.StreamOpened) return;
            foreach (StreamTransfer transfer in _transfers)
            {
                if (transfer.Receiver == connection && transfer.StreamId == e.StreamId) transfer.ReceiverKnowsStream = true;
            }

            OpenedByPeer.Add((connection, e.StreamId));
        };
    }

    public Pair Pair { get; }

    public List<(Connection Connection, ulong StreamId)> OpenedByPeer { get; } = [];

    public IReadOnlyList<StreamTransfer> Transfers => _transfers;

    public bool AllComplete => _transfers.All(t => t.IsComplete);

    public StreamTransfer Add(Connection sender, Connection receiver, ulong streamId, byte[] data)
    {
        var transfer = new StreamTransfer(sender, receiver, streamId, data)
        {
            ReceiverKnowsStream = OpenedByPeer.Contains((receiver, streamId)),
        };
        _transfers.Add(transfer);
        return transfer;
    }

    /// <summary>Opens a stream on <paramref name="sender"/> and sends <paramref name="data"/> to <paramref name="receiver"/>.</summary>
    public StreamTransfer Start(Connection sender, Connection receiver, byte[] data, StreamDirection direction = StreamDirection.Bidirectional)
    {
        Assert.True(sender.TryOpenStream(direction, out ulong id), "the stream limit should allow another stream");
        return Add(sender, receiver, id, data);
    }

    public void Pump()
    {
        foreach (StreamTransfer transfer in _transfers) transfer.Pump();
    }

    public void DriveToCompletion(TimeSpan maxVirtualTime) =>
        Pair.Drive(() => AllComplete, maxVirtualTime, $"Completion of {_transfers.Count} transfers ({_transfers.Count(t => t.IsComplete)} done)");
}
