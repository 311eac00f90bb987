using AwgProxy.Interop.Http3;

namespace AwgProxy.Interop.Tests.Http3;

public class Http3FrameReaderTests
{
    /// <summary>A read-only stream that hands out at most <c>chunk</c> bytes per read.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, chunk), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] Frame(ulong type, byte[] payload)
    {
        var header = new Http3FrameHeader(type, (ulong)payload.Length);
        byte[] frame = new byte[header.EncodedLength + payload.Length];
        header.Write(frame);
        payload.CopyTo(frame, header.EncodedLength);
        return frame;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task Frames_AreReadWhateverTheReadSizes(int chunk)
    {
        byte[] data = new byte[150_000];
        new Random(42).NextBytes(data);
        byte[] stream = [.. Frame(0x21, [1, 2, 3]), .. Frame(Http3FrameType.Headers, [0, 0, 0xd9]), .. Frame(Http3FrameType.Data, data), .. Frame(0x1234, new byte[70_000])];
        using var reader = new Http3FrameReader(new TrickleStream(stream, chunk), 16 * 1024);

        Assert.Equal(new Http3FrameHeader(0x21, 3), await reader.ReadFrameHeaderAsync());
        await reader.SkipPayloadAsync(3);
        Assert.Equal(new Http3FrameHeader(Http3FrameType.Headers, 3), await reader.ReadFrameHeaderAsync());
        Assert.Equal(new byte[] { 0, 0, 0xd9 }, (await reader.ReadPayloadAsync(3)).ToArray());

        Http3FrameHeader? dataHeader = await reader.ReadFrameHeaderAsync();
        Assert.Equal(new Http3FrameHeader(Http3FrameType.Data, (ulong)data.Length), dataHeader);
        var received = new MemoryStream();
        ulong remaining = dataHeader!.Value.Length;
        while (remaining > 0)
        {
            ReadOnlyMemory<byte> chunkRead = await reader.ReadPayloadChunkAsync(remaining);
            Assert.False(chunkRead.IsEmpty);
            received.Write(chunkRead.Span);
            remaining -= (ulong)chunkRead.Length;
        }

        Assert.Equal(data, received.ToArray());
        Assert.Equal(new Http3FrameHeader(0x1234, 70_000), await reader.ReadFrameHeaderAsync());
        await reader.SkipPayloadAsync(70_000);
        Assert.Null(await reader.ReadFrameHeaderAsync());
    }

    [Fact]
    public async Task FinInsideAFrameHeader_IsFrameError()
    {
        using var reader = new Http3FrameReader(new MemoryStream([0x00, 0x80, 0x01]));
        Http3ProtocolException error = await Assert.ThrowsAsync<Http3ProtocolException>(async () => await reader.ReadFrameHeaderAsync());
        Assert.Equal(Http3ErrorCode.FrameError, error.ErrorCode);
    }

    [Fact]
    public async Task FinInsideAPayload_IsFrameError()
    {
        using var reader = new Http3FrameReader(new MemoryStream([0x00, 0x05, 1, 2]));
        Http3FrameHeader? header = await reader.ReadFrameHeaderAsync();
        Http3ProtocolException error = await Assert.ThrowsAsync<Http3ProtocolException>(async () => await reader.SkipPayloadAsync(header!.Value.Length));
        Assert.Equal(Http3ErrorCode.FrameError, error.ErrorCode);
    }

    [Fact]
    public async Task WholePayloadLargerThanTheBuffer_IsExcessiveLoad()
    {
        using var reader = new Http3FrameReader(new MemoryStream(Frame(Http3FrameType.Headers, new byte[20_000])), 16 * 1024);
        Http3FrameHeader? header = await reader.ReadFrameHeaderAsync();
        Http3ProtocolException error = await Assert.ThrowsAsync<Http3ProtocolException>(async () => await reader.ReadPayloadAsync(header!.Value.Length));
        Assert.Equal(Http3ErrorCode.ExcessiveLoad, error.ErrorCode);
    }

    [Fact]
    public async Task StreamTypeVarInt_IsReadAcrossReads()
    {
        using var reader = new Http3FrameReader(new TrickleStream([0x80, 0x0f, 0x07, 0x00, 0x04, 0x00], 1));
        Assert.Equal(0xF0700UL, await reader.ReadVarIntAsync());
        Assert.Equal(new Http3FrameHeader(Http3FrameType.Settings, 0), await reader.ReadFrameHeaderAsync());
        Assert.Null(await reader.ReadFrameHeaderAsync());
        Assert.Null(await reader.ReadVarIntAsync());
    }
}
