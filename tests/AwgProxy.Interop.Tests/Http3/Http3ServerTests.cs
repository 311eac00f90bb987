using System.Globalization;
using System.Text;
using AwgProxy.Interop.Http3;
using AwgProxy.Interop.Http3.Qpack;
using AwgProxy.Interop.Tests.Http3.Qpack;
using AwgProxy.Interop.Tests.InMemory;
using AwgProxy.Interop.Tests.Support;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Interop.Tests.Http3;

/// <summary>The HTTP/3 server driven with hand-made frames, as ngtcp2's gtlsclient would send them.</summary>
public sealed class Http3ServerTests : IAsyncDisposable
{
    private readonly InMemoryInteropConnection _client;
    private readonly InMemoryInteropConnection _server;
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(30));
    private readonly Task _serving;

    public Http3ServerTests()
    {
        (_client, _server) = InMemoryInteropConnection.CreatePair("h3", 64 * 1024);
        _serving = new Http3Server().ServeConnectionAsync(_server, _cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _client.CloseAsync(Http3ErrorCode.NoError);
        await _serving.WaitAsync(TimeSpan.FromSeconds(10));
        _cts.Dispose();
    }

    private static byte[] Frame(ulong type, byte[] payload)
    {
        var header = new Http3FrameHeader(type, (ulong)payload.Length);
        byte[] frame = new byte[header.EncodedLength + payload.Length];
        header.Write(frame);
        payload.CopyTo(frame, header.EncodedLength);
        return frame;
    }

    private static byte[] RequestSection(string method, string path)
    {
        byte[] buffer = new byte[256];
        var writer = new QpackFieldSectionWriter(buffer);
        writer.WriteLiteralWithNameReference(QpackStaticTable.MethodGet, Encoding.ASCII.GetBytes(method));
        writer.WriteIndexed(QpackStaticTable.SchemeHttps);
        writer.WriteLiteralWithNameReference(QpackStaticTable.PathSlash, Encoding.ASCII.GetBytes(path));
        writer.WriteLiteralWithNameReference(QpackStaticTable.Authority, "localhost"u8);
        return buffer[..writer.Length];
    }

    private async Task<InteropStream> SendRequestAsync(byte[] section, bool fin = true)
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        await stream.WriteAsync(Frame(Http3FrameType.Headers, section));
        if (fin)
        {
            stream.CompleteWrites();
        }

        return stream;
    }

    private sealed record Response(Http3ResponseHead Head, byte[] Body);

    private static async Task<Response> ReadResponseAsync(InteropStream stream)
    {
        using var reader = new Http3FrameReader(stream);
        Http3ResponseHead? head = null;
        var body = new MemoryStream();
        while (await reader.ReadFrameHeaderAsync() is { } header)
        {
            if (header.Type == Http3FrameType.Headers)
            {
                ReadOnlyMemory<byte> section = await reader.ReadPayloadAsync(header.Length);
                Assert.True(Http3ResponseHead.TryDecode(section.Span, out Http3ResponseHead decoded, out _, out string? error), error);
                head = decoded;
            }
            else
            {
                Assert.Equal(Http3FrameType.Data, header.Type);
                ulong remaining = header.Length;
                while (remaining > 0)
                {
                    ReadOnlyMemory<byte> chunk = await reader.ReadPayloadChunkAsync(remaining);
                    body.Write(chunk.Span);
                    remaining -= (ulong)chunk.Length;
                }
            }
        }

        Assert.NotNull(head);
        return new Response(head.Value, body.ToArray());
    }

    [Fact]
    public async Task Nghttp3StyleHuffmanRequest_GetsStatus200AndThePattern()
    {
        InteropStream stream = await SendRequestAsync(QpackFieldSectionTests.Nghttp3StyleRequest("/200000", "localhost:4433"));
        Response response = await ReadResponseAsync(stream);
        Assert.Equal(new Http3ResponseHead(200, 200_000), response.Head);
        Assert.Equal(PatternReference.Bytes(200_000), response.Body);
    }

    [Fact]
    public async Task Response_StartsWithTheReadmeHeadersBytes()
    {
        InteropStream stream = await SendRequestAsync(RequestSection("GET", "/7"));
        byte[] start = new byte[8];
        await stream.ReadExactlyAsync(start);
        // HEADERS, length 6: 00 00 d9 (:status 200), then 54 01 "7" (content-length, static name 4).
        Assert.Equal("01060000d9540137", Convert.ToHexStringLower(start));
    }

    [Theory]
    [InlineData("/abc")]
    [InlineData("/")]
    [InlineData("/12x")]
    [InlineData("/-5")]
    [InlineData("/99999999999999999999")]
    [InlineData("/index.html")]
    public async Task NonNumericPath_Gets404WithoutBody(string path)
    {
        Response response = await ReadResponseAsync(await SendRequestAsync(RequestSection("GET", path)));
        Assert.Equal(404, response.Head.Status);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task Head_GetsHeadersWithContentLengthOnly()
    {
        Response response = await ReadResponseAsync(await SendRequestAsync(RequestSection("HEAD", "/5000")));
        Assert.Equal(new Http3ResponseHead(200, 5000), response.Head);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task OtherMethods_Get405()
    {
        Response response = await ReadResponseAsync(await SendRequestAsync(RequestSection("POST", "/5")));
        Assert.Equal(405, response.Head.Status);
    }

    [Fact]
    public async Task UnknownAndReservedFramesBeforeHeaders_AreSkipped()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        byte[] frames = [.. Frame(0x21, [1, 2, 3]), .. Frame(0xABCD, new byte[1000]), .. Frame(Http3FrameType.Headers, RequestSection("GET", "/3"))];
        await stream.WriteAsync(frames);
        stream.CompleteWrites();
        Response response = await ReadResponseAsync(stream);
        Assert.Equal(PatternReference.Bytes(3), response.Body);
    }

    [Fact]
    public async Task PeerUniStreamsOfEveryType_AreReadAndNeverAborted()
    {
        var uni = new List<InteropStream>();
        byte[][] contents =
        [
            [0x00, .. Frame(Http3FrameType.Settings, [0x01, 0x00, 0x21, 0x05]), .. Frame(0x21, [7]), .. Frame(0xF0700, [0x00])],
            [0x02],
            [0x03],
            [0x21, 1, 2, 3, 4, 5],
            [0x40, 0x54, .. new byte[50_000]],
        ];
        foreach (byte[] content in contents)
        {
            InteropStream stream = await _client.OpenUnidirectionalStreamAsync();
            await stream.WriteAsync(content);
            uni.Add(stream);
        }

        Response response = await ReadResponseAsync(await SendRequestAsync(RequestSection("GET", "/10")));
        Assert.Equal(10, response.Body.Length);
        foreach (InteropStream stream in uni)
        {
            InMemoryInteropStream serverSide = _server.Streams.Single(s => s.Id == stream.Id);
            Assert.Null(serverSide.LocalReadAbortCode);
        }
    }

    [Fact]
    public async Task Server_OpensItsControlStreamWithEmptySettings()
    {
        InteropStream control = await _client.AcceptStreamAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(StreamType.ServerUnidirectional, control.Type);
        byte[] prefix = new byte[3];
        await control.ReadExactlyAsync(prefix);
        Assert.Equal(new byte[] { 0x00, 0x04, 0x00 }, prefix);
    }

    [Fact]
    public async Task DataBeforeHeaders_ResetsTheStreamWithFrameUnexpected()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        await stream.WriteAsync(Frame(Http3FrameType.Data, [1, 2]));
        InteropStreamAbortedException error = await Assert.ThrowsAsync<InteropStreamAbortedException>(async () => await ReadResponseAsync(stream));
        Assert.Equal(Http3ErrorCode.FrameUnexpected, error.ErrorCode);
    }

    [Fact]
    public async Task FinBeforeHeaders_ResetsTheStreamWithRequestIncomplete()
    {
        InteropStream stream = await _client.OpenBidirectionalStreamAsync();
        stream.CompleteWrites();
        InteropStreamAbortedException error = await Assert.ThrowsAsync<InteropStreamAbortedException>(async () => await ReadResponseAsync(stream));
        Assert.Equal(Http3ErrorCode.RequestIncomplete, error.ErrorCode);
    }

    [Fact]
    public async Task MissingPseudoHeaders_ResetWithMessageError()
    {
        InteropStream stream = await SendRequestAsync([0x00, 0x00, 0xd1]);
        InteropStreamAbortedException error = await Assert.ThrowsAsync<InteropStreamAbortedException>(async () => await ReadResponseAsync(stream));
        Assert.Equal(Http3ErrorCode.MessageError, error.ErrorCode);
    }

    [Fact]
    public async Task DynamicTableReference_ClosesTheConnectionWithQpackDecompressionFailed()
    {
        InteropStream stream = await SendRequestAsync([0x02, 0x00, 0x80]);
        await Assert.ThrowsAnyAsync<IOException>(async () => await ReadResponseAsync(stream));
        await _serving.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(_server.ClosedLocally);
        Assert.Equal(Http3ErrorCode.QpackDecompressionFailed, _server.CloseCode);
    }

    [Fact]
    public async Task ManyParallelRequests_AreAllAnswered()
    {
        var streams = new List<InteropStream>();
        for (int i = 0; i < 10; i++)
        {
            streams.Add(await SendRequestAsync(RequestSection("GET", "/" + (i * 7919).ToString(CultureInfo.InvariantCulture))));
        }

        Response[] responses = await Task.WhenAll(streams.Select(ReadResponseAsync));
        for (int i = 0; i < responses.Length; i++)
        {
            Assert.Equal(PatternReference.Bytes(i * 7919), responses[i].Body);
        }
    }

    [Theory]
    [InlineData("/0", 0L)]
    [InlineData("/65536", 65536L)]
    [InlineData("/4611686018427387903", (1L << 62) - 1)]
    public void TryParseLength_AcceptsDigitPaths(string path, long expected)
    {
        Assert.True(Http3Server.TryParseLength(path, out long length));
        Assert.Equal(expected, length);
    }

    [Fact]
    public void TryParseLength_RejectsPastTwoToThe62()
    {
        Assert.False(Http3Server.TryParseLength("/4611686018427387904", out _));
    }

    [Fact]
    public async Task FullDataFrames_CarryOnePeriodEach()
    {
        var output = new MemoryStream();
        await Http3Server.WriteContentAsync(output, 65536 * 2 + 5, CancellationToken.None);
        byte[] bytes = output.ToArray();
        Assert.Equal("0080010000", Convert.ToHexStringLower(bytes, 0, 5));
        Assert.Equal("0080010000", Convert.ToHexStringLower(bytes, 65541, 5));
        Assert.Equal("0005", Convert.ToHexStringLower(bytes, 2 * 65541, 2));
        Assert.Equal(2 * 65541 + 2 + 5, bytes.Length);
    }
}
