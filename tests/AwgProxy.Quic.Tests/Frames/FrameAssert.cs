using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Tests.Frames;

/// <summary>Parses a frame body (after the type) from <paramref name="reader"/>.</summary>
public delegate bool FrameBodyParser(ref SpanReader reader, FrameType type);

internal static class FrameAssert
{
    /// <summary>
    /// The quic-go truncation pattern: <paramref name="encoding"/> (type byte + body) parses whole, and every
    /// shorter prefix fails without consuming anything or throwing.
    /// </summary>
    public static void EveryTruncationFails(byte[] encoding, FrameBodyParser parse)
    {
        var type = (FrameType)encoding[0];
        var whole = new SpanReader(encoding.AsSpan(1));
        Assert.True(parse(ref whole, type), "the whole encoding must parse");
        Assert.Equal(encoding.Length - 1, whole.Position);
        for (int length = 1; length < encoding.Length; length++)
        {
            var reader = new SpanReader(encoding.AsSpan(1, length - 1));
            Assert.False(parse(ref reader, type), $"a {length}-byte prefix must not parse");
            Assert.Equal(0, reader.Position);
        }
    }

    /// <summary>Parses the body of <paramref name="encoding"/> and checks it consumed everything.</summary>
    public static SpanReader ReaderAfterType(byte[] encoding) => new(encoding.AsSpan(1));

    /// <summary>Reads the single non-PADDING frame of a 1-RTT payload through <see cref="FrameReader"/>.</summary>
    public static FrameType ReadSingleType(byte[] payload)
    {
        var reader = new FrameReader(payload, AwgProxy.Quic.Packets.PacketType.OneRtt, receiverIsServer: false);
        Assert.True(reader.TryReadNext(out Frame frame), reader.Error?.Reason);
        FrameType type = frame.Type;
        Assert.False(reader.TryReadNext(out _));
        Assert.Null(reader.Error);
        return type;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
