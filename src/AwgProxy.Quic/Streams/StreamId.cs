using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Streams;

/// <summary>
/// RFC 9000 section 2.1: a 62-bit stream ID. Bit 0 is the initiator (<see cref="StreamInitiator"/>),
/// bit 1 the direction (<see cref="StreamDirection"/>), and the remaining bits the stream's index within
/// its type: the n-th stream of a type (counting from 0) has ID <c>n * 4 + type</c>.
/// </summary>
public readonly record struct StreamId(ulong Value) : IComparable<StreamId>
{
    /// <summary>The largest stream ID, 2^62 - 1 (the largest variable-length integer).</summary>
    public const ulong MaxValue = VarInt.MaxValue;

    /// <summary>The number of streams of one type: IDs of a type are 4 apart below 2^62.</summary>
    public const ulong MaxCountPerType = 1UL << 60;

    /// <summary>Whether the value fits the 62-bit stream ID space.</summary>
    public bool IsValid => Value <= MaxValue;

    public StreamType Type => (StreamType)(Value & 0x03);

    public StreamInitiator Initiator => (StreamInitiator)(Value & 0x01);

    public StreamDirection Direction => (StreamDirection)((Value >> 1) & 0x01);

    public bool IsBidirectional => Direction == StreamDirection.Bidirectional;

    public bool IsUnidirectional => Direction == StreamDirection.Unidirectional;

    /// <summary>The stream's position among the streams of its type: 0 for the first.</summary>
    public ulong Index => Value >> 2;

    /// <summary>Whether the endpoint playing <paramref name="localRole"/> opened this stream.</summary>
    public bool IsLocal(StreamInitiator localRole) => Initiator == localRole;

    /// <summary>See <see cref="StreamTypeExtensions.HasSendPart"/>.</summary>
    public bool HasSendPart(StreamInitiator localRole) => Type.HasSendPart(localRole);

    /// <summary>See <see cref="StreamTypeExtensions.HasReceivePart"/>.</summary>
    public bool HasReceivePart(StreamInitiator localRole) => Type.HasReceivePart(localRole);

    /// <summary>The <paramref name="index"/>-th (from 0) stream ID of <paramref name="type"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The ID would exceed 2^62 - 1.</exception>
    public static StreamId FromIndex(StreamType type, ulong index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxCountPerType);
        return new StreamId((index << 2) | (byte)type);
    }

    public static StreamId FromIndex(StreamInitiator initiator, StreamDirection direction, ulong index) =>
        FromIndex(StreamTypeExtensions.Of(initiator, direction), index);

    public int CompareTo(StreamId other) => Value.CompareTo(other.Value);

    public static bool operator <(StreamId left, StreamId right) => left.Value < right.Value;

    public static bool operator >(StreamId left, StreamId right) => left.Value > right.Value;

    public static bool operator <=(StreamId left, StreamId right) => left.Value <= right.Value;

    public static bool operator >=(StreamId left, StreamId right) => left.Value >= right.Value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
