using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Tests.Streams;

public class StreamIdTests
{
    // RFC 9000 section 2.1, Table 1.
    [Theory]
    [InlineData(0UL, StreamInitiator.Client, StreamDirection.Bidirectional, StreamType.ClientBidirectional)]
    [InlineData(1UL, StreamInitiator.Server, StreamDirection.Bidirectional, StreamType.ServerBidirectional)]
    [InlineData(2UL, StreamInitiator.Client, StreamDirection.Unidirectional, StreamType.ClientUnidirectional)]
    [InlineData(3UL, StreamInitiator.Server, StreamDirection.Unidirectional, StreamType.ServerUnidirectional)]
    public void FirstIdOfEachType_DecodesInitiatorDirectionAndIndexZero(ulong value, StreamInitiator initiator, StreamDirection direction, StreamType type)
    {
        var id = new StreamId(value);
        Assert.Equal(initiator, id.Initiator);
        Assert.Equal(direction, id.Direction);
        Assert.Equal(type, id.Type);
        Assert.Equal(0UL, id.Index);
        Assert.Equal(type, StreamTypeExtensions.Of(initiator, direction));
        Assert.Equal(initiator, type.Initiator());
        Assert.Equal(direction, type.Direction());
        Assert.Equal(id, StreamId.FromIndex(type, 0));
    }

    [Theory]
    [InlineData(StreamType.ClientBidirectional, 5UL, 20UL)]
    [InlineData(StreamType.ServerBidirectional, 5UL, 21UL)]
    [InlineData(StreamType.ClientUnidirectional, 5UL, 22UL)]
    [InlineData(StreamType.ServerUnidirectional, 5UL, 23UL)]
    public void NthStreamOfType_IsIndexTimesFourPlusType(StreamType type, ulong index, ulong expected)
    {
        StreamId id = StreamId.FromIndex(type, index);
        Assert.Equal(expected, id.Value);
        Assert.Equal(index, id.Index);
        Assert.Equal(type, id.Type);
        Assert.Equal(id, StreamId.FromIndex(type.Initiator(), type.Direction(), index));
    }

    [Theory]
    [InlineData(StreamType.ClientBidirectional)]
    [InlineData(StreamType.ServerBidirectional)]
    [InlineData(StreamType.ClientUnidirectional)]
    [InlineData(StreamType.ServerUnidirectional)]
    public void LastIndexOfEachType_FitsIn62Bits_NextThrows(StreamType type)
    {
        StreamId last = StreamId.FromIndex(type, StreamId.MaxCountPerType - 1);
        Assert.True(last.IsValid);
        Assert.True(last.Value <= StreamId.MaxValue);
        Assert.Equal(StreamId.MaxValue - 3 + (ulong)type, last.Value);
        Assert.Equal(type, last.Type);
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamId.FromIndex(type, StreamId.MaxCountPerType));
    }

    [Fact]
    public void MaxValue_Is2To62Minus1_AndAboveIsInvalid()
    {
        Assert.Equal((1UL << 62) - 1, StreamId.MaxValue);
        Assert.True(new StreamId(StreamId.MaxValue).IsValid);
        Assert.False(new StreamId(StreamId.MaxValue + 1).IsValid);
        Assert.Equal(StreamType.ServerUnidirectional, new StreamId(StreamId.MaxValue).Type);
    }

    [Theory]
    [InlineData(0UL, StreamInitiator.Client, true, true, true)]
    [InlineData(0UL, StreamInitiator.Server, false, true, true)]
    [InlineData(1UL, StreamInitiator.Client, false, true, true)]
    [InlineData(1UL, StreamInitiator.Server, true, true, true)]
    [InlineData(2UL, StreamInitiator.Client, true, true, false)]
    [InlineData(2UL, StreamInitiator.Server, false, false, true)]
    [InlineData(3UL, StreamInitiator.Client, false, false, true)]
    [InlineData(3UL, StreamInitiator.Server, true, true, false)]
    public void LocalityAndParts_DependOnRole(ulong value, StreamInitiator localRole, bool isLocal, bool hasSend, bool hasReceive)
    {
        var id = new StreamId(value + 4 * 7);
        Assert.Equal(isLocal, id.IsLocal(localRole));
        Assert.Equal(hasSend, id.HasSendPart(localRole));
        Assert.Equal(hasReceive, id.HasReceivePart(localRole));
    }

    [Fact]
    public void Ordering_FollowsNumericValue()
    {
        Assert.True(new StreamId(4) < new StreamId(8));
        Assert.True(new StreamId(8) >= new StreamId(8));
        Assert.Equal(-1, new StreamId(1).CompareTo(new StreamId(2)));
        Assert.Equal("42", new StreamId(42).ToString());
    }
}
