using System.Buffers.Binary;
using System.Security.Cryptography;
using AwgProxy.Quic.Connections;

namespace AwgProxy.Quic.Tests.Simulation;

/// <summary>
/// Moves a large generated payload over one stream without holding it in memory: the sender writes bytes from a
/// seeded generator as fast as the stream accepts them, both sides hash what passed (SHA-256), and the virtual times
/// of the first byte written and the last byte read give the goodput. Call <see cref="Pump"/> every step.
/// </summary>
internal sealed class BulkTransfer
{
    private const int ChunkSize = 64 * 1024;

    private readonly IncrementalHash _sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _chunk = new byte[ChunkSize];
    private readonly byte[] _readBuffer = new byte[ChunkSize];
    private readonly Pair _pair;
    private ulong _generator;
    private int _chunkOffset;
    private int _chunkLength;
    private long _written;
    private bool _finishSent;

    public BulkTransfer(Pair pair, Connection sender, Connection receiver, ulong streamId, long length, int seed)
    {
        _pair = pair;
        Sender = sender;
        Receiver = receiver;
        StreamId = streamId;
        Length = length;
        _generator = (ulong)seed * 0x9E3779B97F4A7C15UL | 1;
    }

    public Connection Sender { get; }

    public Connection Receiver { get; }

    public ulong StreamId { get; }

    public long Length { get; }

    /// <summary>The receiver knows the stream (it saw StreamOpened).</summary>
    public bool ReceiverKnowsStream { get; set; }

    public long BytesReceived { get; private set; }

    public bool IsComplete { get; private set; }

    public Instant FirstByteWritten { get; private set; } = Instant.Never;

    public Instant LastByteRead { get; private set; } = Instant.Never;

    /// <summary>Payload bits per second of virtual time, from the first byte written to the last byte read.</summary>
    public double GoodputBitsPerSecond => IsComplete ? Length * 8.0 / (LastByteRead - FirstByteWritten).TotalSeconds : 0;

    /// <summary>The most bytes the receiver had buffered for this stream, unread, at any step.</summary>
    public int MaxReceiverBuffered { get; private set; }

    public void Pump()
    {
        PumpWrites();
        PumpReads();
    }

    private void PumpWrites()
    {
        if (Sender.State != ConnectionState.Connected) return;
        while (_written < Length)
        {
            if (_chunkOffset == _chunkLength) NextChunk();
            int accepted = Sender.StreamWrite(StreamId, _chunk.AsSpan(_chunkOffset, _chunkLength - _chunkOffset));
            if (accepted == 0) break;
            if (FirstByteWritten.IsNever) FirstByteWritten = _pair.Now;
            _sentHash.AppendData(_chunk, _chunkOffset, accepted);
            _chunkOffset += accepted;
            _written += accepted;
        }

        if (_written == Length && !_finishSent)
        {
            Sender.StreamFinish(StreamId);
            _finishSent = true;
        }
    }

    private void PumpReads()
    {
        if (!ReceiverKnowsStream || IsComplete || Receiver.State != ConnectionState.Connected) return;
        MaxReceiverBuffered = Math.Max(MaxReceiverBuffered, Receiver.GetStreamReadableBytes(StreamId));
        while (true)
        {
            int read = Receiver.StreamRead(StreamId, _readBuffer, out bool finished);
            if (read > 0)
            {
                _receivedHash.AppendData(_readBuffer, 0, read);
                BytesReceived += read;
            }

            if (finished)
            {
                IsComplete = true;
                LastByteRead = _pair.Now;
                return;
            }

            if (read == 0) return;
        }
    }

    private void NextChunk()
    {
        int length = (int)Math.Min(ChunkSize, Length - _written);
        for (int i = 0; i + 8 <= length; i += 8)
        {
            // xorshift64*: fast, and different enough per seed.
            _generator ^= _generator >> 12;
            _generator ^= _generator << 25;
            _generator ^= _generator >> 27;
            BinaryPrimitives.WriteUInt64LittleEndian(_chunk.AsSpan(i), _generator * 0x2545F4914F6CDD1DUL);
        }

        for (int i = length & ~7; i < length; i++) _chunk[i] = (byte)(_generator >> (8 * (i & 7)));
        _chunkOffset = 0;
        _chunkLength = length;
    }

    /// <summary>Every byte arrived, in order, unchanged.</summary>
    public void AssertIntact()
    {
        Assert.True(IsComplete, $"stream {StreamId}: {BytesReceived} of {Length} bytes received, not finished");
        Assert.Equal(Length, BytesReceived);
        Assert.Equal(_sentHash.GetHashAndReset(), _receivedHash.GetHashAndReset());
    }

    /// <summary>True when complete and both hashes match (consumes the hashes).</summary>
    public bool IsIntact() =>
        IsComplete && BytesReceived == Length && _sentHash.GetHashAndReset().AsSpan().SequenceEqual(_receivedHash.GetHashAndReset());
}
