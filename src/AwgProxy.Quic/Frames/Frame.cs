namespace AwgProxy.Quic.Frames;

/// <summary>
/// One frame read by <see cref="FrameReader"/>: its type and a typed view of its fields. Switch on
/// <see cref="Type"/> and read the matching property (for example <see cref="Ack"/> for
/// <see cref="FrameType.Ack"/> and <see cref="FrameType.AckEcn"/>); reading a property of another frame
/// type is a programming error and throws. Spans in the frame point into the packet payload.
/// </summary>
public ref struct Frame
{
    internal AckFrame AckValue;
    internal ResetStreamFrame ResetStreamValue;
    internal StopSendingFrame StopSendingValue;
    internal CryptoFrame CryptoValue;
    internal NewTokenFrame NewTokenValue;
    internal StreamFrame StreamValue;
    internal MaxDataFrame MaxDataValue;
    internal MaxStreamDataFrame MaxStreamDataValue;
    internal MaxStreamsFrame MaxStreamsValue;
    internal DataBlockedFrame DataBlockedValue;
    internal StreamDataBlockedFrame StreamDataBlockedValue;
    internal StreamsBlockedFrame StreamsBlockedValue;
    internal NewConnectionIdFrame NewConnectionIdValue;
    internal RetireConnectionIdFrame RetireConnectionIdValue;
    internal PathChallengeFrame PathChallengeValue;
    internal PathResponseFrame PathResponseValue;
    internal ConnectionCloseFrame ConnectionCloseValue;
    internal DatagramFrame DatagramValue;

    internal Frame(FrameType wireType)
    {
        WireType = wireType;
        Type = wireType.IsStream() ? FrameType.Stream : wireType;
    }

    /// <summary>
    /// The frame type, with the eight STREAM types folded into <see cref="FrameType.Stream"/> (their flags
    /// are in <see cref="Stream"/>). Other variants stay distinct: <see cref="FrameType.Ack"/> and
    /// <see cref="FrameType.AckEcn"/>, the two MAX_STREAMS, STREAMS_BLOCKED, CONNECTION_CLOSE and DATAGRAM types.
    /// </summary>
    public readonly FrameType Type { get; }

    /// <summary>The frame type exactly as on the wire.</summary>
    public readonly FrameType WireType { get; }

    /// <summary>The whole frame as received, type included.</summary>
    public ReadOnlySpan<byte> Encoding { readonly get; internal set; }

    public readonly bool IsAckEliciting => FrameRules.IsAckEliciting(WireType);

    public readonly AckFrame Ack => Type is FrameType.Ack or FrameType.AckEcn ? AckValue : throw WrongType();

    public readonly ResetStreamFrame ResetStream => Type == FrameType.ResetStream ? ResetStreamValue : throw WrongType();

    public readonly StopSendingFrame StopSending => Type == FrameType.StopSending ? StopSendingValue : throw WrongType();

    public readonly CryptoFrame Crypto => Type == FrameType.Crypto ? CryptoValue : throw WrongType();

    public readonly NewTokenFrame NewToken => Type == FrameType.NewToken ? NewTokenValue : throw WrongType();

    public readonly StreamFrame Stream => Type == FrameType.Stream ? StreamValue : throw WrongType();

    public readonly MaxDataFrame MaxData => Type == FrameType.MaxData ? MaxDataValue : throw WrongType();

    public readonly MaxStreamDataFrame MaxStreamData => Type == FrameType.MaxStreamData ? MaxStreamDataValue : throw WrongType();

    public readonly MaxStreamsFrame MaxStreams =>
        Type is FrameType.MaxStreamsBidi or FrameType.MaxStreamsUni ? MaxStreamsValue : throw WrongType();

    public readonly DataBlockedFrame DataBlocked => Type == FrameType.DataBlocked ? DataBlockedValue : throw WrongType();

    public readonly StreamDataBlockedFrame StreamDataBlocked =>
        Type == FrameType.StreamDataBlocked ? StreamDataBlockedValue : throw WrongType();

    public readonly StreamsBlockedFrame StreamsBlocked =>
        Type is FrameType.StreamsBlockedBidi or FrameType.StreamsBlockedUni ? StreamsBlockedValue : throw WrongType();

    public readonly NewConnectionIdFrame NewConnectionId => Type == FrameType.NewConnectionId ? NewConnectionIdValue : throw WrongType();

    public readonly RetireConnectionIdFrame RetireConnectionId =>
        Type == FrameType.RetireConnectionId ? RetireConnectionIdValue : throw WrongType();

    public readonly PathChallengeFrame PathChallenge => Type == FrameType.PathChallenge ? PathChallengeValue : throw WrongType();

    public readonly PathResponseFrame PathResponse => Type == FrameType.PathResponse ? PathResponseValue : throw WrongType();

    public readonly ConnectionCloseFrame ConnectionClose =>
        Type is FrameType.ConnectionClose or FrameType.ConnectionCloseApplication ? ConnectionCloseValue : throw WrongType();

    public readonly DatagramFrame Datagram =>
        Type is FrameType.Datagram or FrameType.DatagramWithLength ? DatagramValue : throw WrongType();

    private readonly InvalidOperationException WrongType() => new($"This frame is a {Type.GetRfcName()} frame.");
}
