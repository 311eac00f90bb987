namespace AwgProxy.Quic.Connections;

/// <summary>
/// What each sent packet carried, keyed by the token given to <see cref="Recovery.LossDetection.OnPacketSent"/>.
/// Tokens are consecutive; frames of consecutive packets are consecutive too. Both live in power-of-two rings that
/// only grow: in steady state recording and releasing a packet allocates nothing and costs O(1). Packets are
/// released in any order (acknowledgment, loss, discard); ring space is reclaimed from the oldest packet onwards.
/// </summary>
internal sealed class SentPacketLog
{
    private PacketRecord[] _packets = new PacketRecord[256];
    private SentFrame[] _frames = new SentFrame[1024];
    private long _headToken = 1;   // oldest packet still held
    private long _nextToken = 1;   // token of the next packet
    private long _headFrame;       // absolute index of the oldest frame still held
    private long _nextFrame;       // absolute index of the next frame
    private bool _open;

    /// <summary>Packets recorded and not yet released.</summary>
    public int LivePackets { get; private set; }

    /// <summary>Starts recording a packet; returns its token (never 0).</summary>
    public long BeginPacket()
    {
        if (_open) throw new InvalidOperationException("The previous packet was not ended.");
        if (_nextToken - _headToken == _packets.Length) GrowPackets();
        long token = _nextToken++;
        _packets[token & (_packets.Length - 1)] = new PacketRecord(_nextFrame, 0, true);
        _open = true;
        LivePackets++;
        return token;
    }

    /// <summary>Adds a frame to the packet being recorded.</summary>
    public void Add(in SentFrame frame)
    {
        if (!_open) throw new InvalidOperationException("No packet is being recorded.");
        if (_nextFrame - _headFrame == _frames.Length) GrowFrames();
        _frames[_nextFrame & (_frames.Length - 1)] = frame;
        _nextFrame++;
        ref PacketRecord record = ref _packets[(_nextToken - 1) & (_packets.Length - 1)];
        record = record with { FrameCount = record.FrameCount + 1 };
    }

    /// <summary>Ends the packet being recorded. A packet that is not sent after all is ended and then released.</summary>
    public void EndPacket() => _open = false;

    /// <summary>The frames recorded for <paramref name="token"/>: read them with <see cref="FrameAt"/>.</summary>
    public bool TryGetFrames(long token, out long firstFrame, out int frameCount)
    {
        firstFrame = 0;
        frameCount = 0;
        if (token < _headToken || token >= _nextToken) return false;
        PacketRecord record = _packets[token & (_packets.Length - 1)];
        if (!record.Live) return false;
        firstFrame = record.FirstFrame;
        frameCount = record.FrameCount;
        return true;
    }

    public ref readonly SentFrame FrameAt(long index) => ref _frames[index & (_frames.Length - 1)];

    /// <summary>Forgets a packet (acknowledged, lost or discarded). Unknown or released tokens are ignored.</summary>
    public void Release(long token)
    {
        if (token < _headToken || token >= _nextToken) return;
        ref PacketRecord record = ref _packets[token & (_packets.Length - 1)];
        if (!record.Live) return;
        record = record with { Live = false };
        LivePackets--;
        while (_headToken < _nextToken && !_packets[_headToken & (_packets.Length - 1)].Live)
        {
            _headToken++;
        }

        _headFrame = _headToken < _nextToken ? _packets[_headToken & (_packets.Length - 1)].FirstFrame : _nextFrame;
    }

    private void GrowPackets()
    {
        var grown = new PacketRecord[_packets.Length * 2];
        for (long t = _headToken; t < _nextToken; t++) grown[t & (grown.Length - 1)] = _packets[t & (_packets.Length - 1)];
        _packets = grown;
    }

    private void GrowFrames()
    {
        var grown = new SentFrame[_frames.Length * 2];
        for (long f = _headFrame; f < _nextFrame; f++) grown[f & (grown.Length - 1)] = _frames[f & (_frames.Length - 1)];
        _frames = grown;
    }

    private readonly record struct PacketRecord(long FirstFrame, int FrameCount, bool Live);
}
