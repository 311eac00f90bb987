using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AwgProxy.Interop.Http3;
using AwgProxy.Interop.Tests.Http3.Qpack;
using AwgProxy.Interop.Tests.InMemory;
using AwgProxy.Interop.Tests.Support;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Interop.Tests.Http3;

/// <summary>The real client and server commands with ALPN h3, and the client against a scripted ngtcp2-like server.</summary>
public class Http3EndToEndTests
{
    [Theory]
    [InlineData(0L, 1)]
    [InlineData(1L, 1)]
    [InlineData(1L << 20, 1)]
    [InlineData(10L << 20, 1)]
    [InlineData(1_000_003L, 4)]
    public async Task Get_OverHttp3_DeliversThePatternWithItsSha256(long size, int streams)
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync(
            ["-alpn", "h3"],
            ["-alpn", "h3", "-bytes", size.ToString(CultureInfo.InvariantCulture), "-streams", streams.ToString(CultureInfo.InvariantCulture), "-verify"]);
        Assert.Equal(0, run.ClientExit);
        Match ok = run.OkMatch();
        Assert.Equal(size.ToString(CultureInfo.InvariantCulture), ok.Groups["bytes"].Value);
        Assert.Equal(PatternReference.ExpectedResultDigest(size, streams, 1), ok.Groups["sha"].Value);
        Assert.StartsWith("connected: alpn=h3 ", run.ClientOut, StringComparison.Ordinal);
        Assert.Equal(Http3ErrorCode.NoError, run.Transport.ClientSides[0].CloseCode);
    }

    [Fact]
    public async Task ServerOfferingBothAlpns_ServesEachConnectionItsProtocol()
    {
        InteropHarness.RunResult raw = await InteropHarness.RunAsync(["-alpn", "interop-test,h3"], ["-alpn", "interop-test", "-bytes", "100"]);
        Assert.Contains("alpn=interop-test", raw.ClientOut, StringComparison.Ordinal);
        Assert.Equal(PatternReference.Sha256Hex(100), raw.OkMatch().Groups["sha"].Value);

        InteropHarness.RunResult h3 = await InteropHarness.RunAsync(["-alpn", "interop-test,h3"], ["-alpn", "h3", "-bytes", "100"]);
        Assert.Contains("alpn=h3", h3.ClientOut, StringComparison.Ordinal);
        Assert.Equal(PatternReference.Sha256Hex(100), h3.OkMatch().Groups["sha"].Value);
    }

    [Theory]
    [InlineData("put")]
    [InlineData("echo")]
    public async Task PutOrEchoOverHttp3_FailsWithAClearReason(string mode)
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync(["-alpn", "h3"], ["-alpn", "h3", "-mode", mode, "-bytes", "10"]);
        Assert.Equal(1, run.ClientExit);
        Assert.Equal($"RESULT fail mode {mode} is not available over ALPN h3 (only get)", run.LastClientLine);
    }

    [Fact]
    public async Task Verbose_ServerLogsConnectionsAndRequests()
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync(["-alpn", "h3", "-v"], ["-alpn", "h3", "-bytes", "12"]);
        Assert.Contains("conn from 127.0.0.1:50000 alpn=h3 cipher=TLS_AES_128_GCM_SHA256 group=x25519", run.ServerOut, StringComparison.Ordinal);
        Assert.Matches(@"stream 0: GET /12", run.ServerOut);
    }

    /// <summary>A scripted server: accepts one connection and lets the test drive it.</summary>
    private static async Task<(int Exit, string Out)> RunClientAgainst(Func<InMemoryInteropConnection, Task> serverScript, params string[] clientArgs)
    {
        var transport = new InMemoryInteropTransport();
        IInteropListener listener = await transport.ListenAsync(new InteropServerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 4433),
            ApplicationProtocols = ["h3"],
            CertificatePemPath = "c",
            PrivateKeyPemPath = "k",
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task server = Task.Run(async () => await serverScript((InMemoryInteropConnection)await listener.AcceptConnectionAsync(cts.Token)), cts.Token);
        var stdout = new StringWriter();
        int exit = await InteropProgram.RunAsync(["client", "-addr", "127.0.0.1:4433", "-alpn", "h3", .. clientArgs], transport, stdout, new StringWriter(), cts.Token);
        await server.WaitAsync(cts.Token);
        return (exit, stdout.ToString().ReplaceLineEndings("\n").TrimEnd().Split('\n')[^1]);
    }

    private static async Task<InteropStream> AcceptBidirectionalAsync(InMemoryInteropConnection connection)
    {
        while (true)
        {
            InteropStream stream = await connection.AcceptStreamAsync();
            if (stream.Type == StreamType.ClientBidirectional)
            {
                return stream;
            }
        }
    }

    private static byte[] Frame(ulong type, byte[] payload)
    {
        var header = new Http3FrameHeader(type, (ulong)payload.Length);
        byte[] frame = new byte[header.EncodedLength + payload.Length];
        header.Write(frame);
        payload.CopyTo(frame, header.EncodedLength);
        return frame;
    }

    /// <summary>Roughly what gtlsserver does: Huffman-coded response fields, n zero bytes in 16 KiB DATA frames.</summary>
    private static async Task GtlsserverLikeAsync(InMemoryInteropConnection connection, long length)
    {
        InteropStream control = await connection.OpenUnidirectionalStreamAsync();
        byte[] controlBytes = [0x00, .. Frame(Http3FrameType.Settings, Convert.FromHexString("0100" + "0700" + "2105")), .. Frame(0x21, [9, 9])];
        await control.WriteAsync(controlBytes);
        InteropStream encoder = await connection.OpenUnidirectionalStreamAsync();
        await encoder.WriteAsync(new byte[] { 0x02 });
        InteropStream decoder = await connection.OpenUnidirectionalStreamAsync();
        await decoder.WriteAsync(new byte[] { 0x03 });

        InteropStream request = await AcceptBidirectionalAsync(connection);
        using (var reader = new Http3FrameReader(request))
        {
            Http3FrameHeader? header = await reader.ReadFrameHeaderAsync();
            Assert.Equal(Http3FrameType.Headers, header!.Value.Type);
            ReadOnlyMemory<byte> section = await reader.ReadPayloadAsync(header.Value.Length);
            Assert.True(Http3RequestHead.TryDecode(section.Span, out Http3RequestHead? head, out _, out _));
            Assert.Equal(new Http3RequestHead("GET", "https", "/" + length.ToString(CultureInfo.InvariantCulture), "localhost"), head);
            Assert.Null(await reader.ReadFrameHeaderAsync());
        }

        var fields = new List<byte> { 0x00, 0x00, 0xd9 };
        QpackFieldSectionTests.AddHuffmanLiteralWithNameReference(fields, 0x70, 92, "nghttp3/ngtcp2 server");
        QpackFieldSectionTests.AddHuffmanLiteralWithNameReference(fields, 0x50, 44, "application/octet-stream");
        QpackFieldSectionTests.AddHuffmanLiteralWithNameReference(fields, 0x50, 4, length.ToString(CultureInfo.InvariantCulture));
        await request.WriteAsync(Frame(0x40, [1, 2, 3]));
        await request.WriteAsync(Frame(Http3FrameType.Headers, [.. fields]));
        for (long sent = 0; sent < length; sent += 16384)
        {
            await request.WriteAsync(Frame(Http3FrameType.Data, new byte[Math.Min(16384, length - sent)]));
        }

        request.CompleteWrites();
        await connection.AcceptStreamAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Client_FetchesFromAGtlsserverLikeServer()
    {
        (int exit, string last) = await RunClientAgainst(c => GtlsserverLikeAsync(c, 100_000), "-bytes", "100000");
        Assert.Equal(0, exit);
        Match ok = InteropHarness.ResultOk().Match(last);
        Assert.True(ok.Success, last);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new byte[100_000])), ok.Groups["sha"].Value);
    }

    [Fact]
    public async Task Client_WithVerify_RejectsGtlsserversZeroBytes()
    {
        (int exit, string last) = await RunClientAgainst(c => GtlsserverLikeAsync(c, 1000), "-bytes", "1000", "-verify");
        Assert.Equal(1, exit);
        Assert.Equal("RESULT fail corrupt byte at offset 1", last);
    }

    [Fact]
    public async Task Client_ReportsNon200Status()
    {
        (int exit, string last) = await RunClientAgainst(
            async connection =>
            {
                InteropStream request = await AcceptBidirectionalAsync(connection);
                await request.WriteAsync(Http3Server.BuildResponseHeaders(404, null));
                request.CompleteWrites();
                await connection.AcceptStreamAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            },
            "-bytes", "5");
        Assert.Equal(1, exit);
        Assert.Equal("RESULT fail stream 0: status 404", last);
    }

    [Fact]
    public async Task Client_SkipsInterimResponsesAndTrailers()
    {
        (int exit, string last) = await RunClientAgainst(
            async connection =>
            {
                InteropStream request = await AcceptBidirectionalAsync(connection);
                await request.WriteAsync(Http3Server.BuildResponseHeaders(103, null));
                await request.WriteAsync(Http3Server.BuildResponseHeaders(200, null));
                await request.WriteAsync(Frame(Http3FrameType.Data, PatternReference.Bytes(3)));
                await request.WriteAsync(Frame(Http3FrameType.Headers, [0x00, 0x00, 0x5f, 0x50, 0x01, (byte)'x']));
                request.CompleteWrites();
                await connection.AcceptStreamAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            },
            "-bytes", "3", "-verify");
        Assert.True(exit == 0, last);
        Assert.Matches(InteropHarness.ResultOk(), last);
    }

    [Fact]
    public async Task Client_RejectsContentLengthMismatch()
    {
        (int exit, string last) = await RunClientAgainst(
            async connection =>
            {
                InteropStream request = await AcceptBidirectionalAsync(connection);
                await request.WriteAsync(Http3Server.BuildResponseHeaders(200, 4));
                await request.WriteAsync(Frame(Http3FrameType.Data, new byte[3]));
                request.CompleteWrites();
                await connection.AcceptStreamAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            },
            "-bytes", "3");
        Assert.Equal(1, exit);
        Assert.Equal("RESULT fail stream 0: content-length 4 but 3 bytes", last);
    }

    [Fact]
    public async Task Client_TreatsDataBeforeHeadersAsFrameUnexpectedAndStopsTheStream()
    {
        long? stopSendingCode = null;
        (int exit, string last) = await RunClientAgainst(
            async connection =>
            {
                InteropStream request = await AcceptBidirectionalAsync(connection);
                await request.WriteAsync(Frame(Http3FrameType.Data, new byte[3]));
                try
                {
                    while (true)
                    {
                        await request.WriteAsync(new byte[1024]);
                    }
                }
                catch (InteropStreamAbortedException ex)
                {
                    stopSendingCode = ex.ErrorCode;
                }
            },
            "-bytes", "3");
        Assert.Equal(1, exit);
        Assert.Equal("RESULT fail stream 0: DATA before the response HEADERS (error 0x105)", last);
        Assert.Equal(Http3ErrorCode.FrameUnexpected, stopSendingCode);
    }

    [Fact]
    public async Task Client_OpensItsControlStreamWithEmptySettings()
    {
        byte[]? controlPrefix = null;
        await RunClientAgainst(
            async connection =>
            {
                InteropStream control = await connection.AcceptStreamAsync();
                Assert.Equal(StreamType.ClientUnidirectional, control.Type);
                controlPrefix = new byte[3];
                await control.ReadExactlyAsync(controlPrefix);
                await GtlsserverLikeAsync(connection, 10);
            },
            "-bytes", "10");
        Assert.Equal(new byte[] { 0x00, 0x04, 0x00 }, controlPrefix);
    }
}
