using AwgProxy.Interop.Http3;

namespace AwgProxy.Interop.Tests.Http3;

public class Http3FrameTests
{
    [Theory]
    [InlineData(0x00UL, 0UL, "0000")]
    [InlineData(0x01UL, 63UL, "013f")]
    [InlineData(0x04UL, 64UL, "044040")]
    [InlineData(0x00UL, 65536UL, "0080010000")]
    [InlineData(0x21UL, 1UL, "2101")]
    [InlineData(0xF0700UL, 5UL, "800f070005")]
    [InlineData(0x3FFFFFFFFFFFFFFEUL, 0x3FFFFFFFFFFFFFFFUL, "fffffffffffffffeffffffffffffffff")]
    public void Header_RoundTripsAndEveryPrefixNeedsMore(ulong type, ulong length, string hex)
    {
        var header = new Http3FrameHeader(type, length);
        byte[] buffer = new byte[Http3FrameHeader.MaxEncodedLength];
        int written = header.Write(buffer);
        Assert.Equal(hex, Convert.ToHexStringLower(buffer, 0, written));
        Assert.Equal(written, header.EncodedLength);

        Assert.True(Http3FrameHeader.TryRead(buffer.AsSpan(0, written), out Http3FrameHeader read, out int consumed));
        Assert.Equal(header, read);
        Assert.Equal(written, consumed);
        for (int cut = 0; cut < written; cut++)
        {
            Assert.False(Http3FrameHeader.TryRead(buffer.AsSpan(0, cut), out _, out int none));
            Assert.Equal(0, none);
        }
    }

    [Theory]
    [InlineData(0x21UL, true)]
    [InlineData(0x40UL, true)]
    [InlineData(0x5FUL, true)]
    [InlineData(0x1FUL * 1000 + 0x21, true)]
    [InlineData(0x3FFFFFFFFFFFFFFEUL, true)]
    [InlineData(0x00UL, false)]
    [InlineData(0x20UL, false)]
    [InlineData(0x22UL, false)]
    [InlineData(0x41UL, false)]
    public void ReservedTypes_AreOneFNPlus21(ulong type, bool reserved)
    {
        Assert.Equal(reserved, Http3FrameType.IsReserved(type));
        Assert.Equal(reserved, Http3StreamType.IsReserved(type));
    }

    [Fact]
    public void Settings_EmptyPayloadIsValid()
    {
        Assert.True(Http3Settings.TryRead([], out Http3Settings settings));
        Assert.Equal(new Http3Settings(0, null, 0), settings);
    }

    [Fact]
    public void Settings_KnownValuesAreReadAndUnknownOrReservedIgnored()
    {
        // QPACK_MAX_TABLE_CAPACITY=4096, reserved 0x21=5, MAX_FIELD_SECTION_SIZE=65536, unknown 0x33=1, BLOCKED_STREAMS=100
        byte[] payload = Convert.FromHexString("0150002105" + "0680010000" + "3301" + "074064");
        Assert.True(Http3Settings.TryRead(payload, out Http3Settings settings));
        Assert.Equal(new Http3Settings(4096, 65536, 100), settings);
    }

    [Theory]
    [InlineData("01")] // identifier without a value
    [InlineData("0140")] // truncated value
    [InlineData("01000100")] // duplicate identifier
    [InlineData("0200")] // HTTP/2 ENABLE_PUSH
    [InlineData("0500")] // HTTP/2 MAX_FRAME_SIZE
    public void Settings_MalformedPayloadsAreRejected(string hex)
    {
        Assert.False(Http3Settings.TryRead(Convert.FromHexString(hex), out _));
    }
}
