using System.Globalization;
using System.Text;
using AwgProxy.Interop.Http3.Qpack;
using AwgProxy.Interop.Protocols;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Interop.Http3;

/// <summary>
/// The HTTP/3 client of the interop endpoint (ALPN <c>h3</c>), enough for ngtcp2's gtlsserver: it opens
/// its control stream, reads the server's unidirectional streams in the background, and fetches
/// <c>GET /&lt;n&gt;</c> on request streams:
/// <code>
/// HEADERS  01 len | 00 00 | d1 (:method GET) | d7 (:scheme https) | 51 len "/n" (:path) | 50 len authority
/// FIN
/// ← HEADERS (:status 200, interim 1xx skipped), DATA*, optional trailing HEADERS, FIN
/// </code>
/// </summary>
public sealed class Http3Client : IAsyncDisposable
{
    /// <summary>Receive buffer of a request stream (pooled).</summary>
    public const int ResponseBufferSize = 256 * 1024;

    private readonly IInteropConnection _connection;
    private readonly byte[] _authority;
    private readonly TextWriter? _log;
    private readonly CancellationTokenSource _stop = new();
    private Task _acceptLoop = Task.CompletedTask;

    private Http3Client(IInteropConnection connection, string authority, TextWriter? log)
    {
        _connection = connection;
        _authority = Encoding.ASCII.GetBytes(authority);
        _log = log;
        Control = new Http3ControlStreams(log);
    }

    /// <summary>Our control stream and what the server's control stream said.</summary>
    public Http3ControlStreams Control { get; }

    /// <summary>Opens the control stream and starts reading the server's unidirectional streams.</summary>
    public static async Task<Http3Client> StartAsync(IInteropConnection connection, string authority, TextWriter? log, CancellationToken cancellationToken)
    {
        var client = new Http3Client(connection, authority, log);
        await client.Control.OpenAsync(connection, cancellationToken).ConfigureAwait(false);
        client._acceptLoop = client.AcceptLoopAsync(client._stop.Token);
        return client;
    }

    /// <summary>
    /// Sends <c>GET /<paramref name="length"/></c> and feeds the response content to
    /// <paramref name="sink"/>. Throws <see cref="InteropTransferException"/> with the reason on failure.
    /// </summary>
    public async Task GetAsync(long length, PayloadSink sink, CancellationToken cancellationToken)
    {
        InteropStream stream = await _connection.OpenBidirectionalStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(BuildRequest(length), cancellationToken).ConfigureAwait(false);
            stream.CompleteWrites();
            await ReadResponseAsync(stream, length, sink, cancellationToken).ConfigureAwait(false);
        }
        catch (Http3ProtocolException ex)
        {
            stream.Abort(InteropAbortDirection.Both, ex.ErrorCode);
            throw new InteropTransferException($"stream {stream.Id}: {ex.Message} (error 0x{ex.ErrorCode:x})", ex);
        }
        catch (InteropStreamAbortedException ex)
        {
            stream.Abort(InteropAbortDirection.Both, Http3ErrorCode.RequestCancelled);
            throw new InteropTransferException($"stream {stream.Id}: aborted by the peer with code 0x{ex.ErrorCode:x}", ex);
        }
        catch (InteropTransferException)
        {
            stream.Abort(InteropAbortDirection.Both, Http3ErrorCode.RequestCancelled);
            throw;
        }
        finally
        {
            await StreamDisposal.DisposeQuietlyAsync(stream).ConfigureAwait(false);
        }
    }

    /// <summary>The HEADERS frame for <c>GET /<paramref name="length"/></c>.</summary>
    public byte[] BuildRequest(long length)
    {
        byte[] path = Encoding.ASCII.GetBytes("/" + length.ToString(CultureInfo.InvariantCulture));
        Span<byte> section = stackalloc byte[64 + path.Length + _authority.Length];
        var writer = new QpackFieldSectionWriter(section);
        writer.WriteIndexed(QpackStaticTable.MethodGet);
        writer.WriteIndexed(QpackStaticTable.SchemeHttps);
        writer.WriteLiteralWithNameReference(QpackStaticTable.PathSlash, path);
        writer.WriteLiteralWithNameReference(QpackStaticTable.Authority, _authority);
        var header = new Http3FrameHeader(Http3FrameType.Headers, (ulong)writer.Length);
        byte[] frame = new byte[header.EncodedLength + writer.Length];
        int offset = header.Write(frame);
        writer.Written.CopyTo(frame.AsSpan(offset));
        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task ReadResponseAsync(InteropStream stream, long length, PayloadSink sink, CancellationToken cancellationToken)
    {
        // Several DATA frames per read: fewer, larger chunks for the hash and the verifier.
        using var reader = new Http3FrameReader(stream, ResponseBufferSize);
        Http3ResponseHead? final = null;
        long content = 0;
        while (await reader.ReadFrameHeaderAsync(cancellationToken).ConfigureAwait(false) is { } header)
        {
            switch (header.Type)
            {
                case Http3FrameType.Headers:
                    ReadOnlyMemory<byte> section = await reader.ReadPayloadAsync(header.Length, cancellationToken).ConfigureAwait(false);
                    if (final is not null)
                    {
                        // Trailers: checked, not used.
                        if (!Http3ResponseHead.TryDecodeTrailers(section.Span, out string? trailerError))
                        {
                            throw new Http3ProtocolException(Http3ErrorCode.QpackDecompressionFailed, trailerError ?? "bad trailers");
                        }

                        break;
                    }

                    if (!Http3ResponseHead.TryDecode(section.Span, out Http3ResponseHead head, out long code, out string? error))
                    {
                        throw new Http3ProtocolException(code, error ?? "bad response HEADERS");
                    }

                    if (head.Status is >= 100 and < 200)
                    {
                        break; // an interim response before the final one
                    }

                    if (head.Status != 200)
                    {
                        throw new InteropTransferException($"stream {stream.Id}: status {head.Status}");
                    }

                    final = head;
                    break;
                case Http3FrameType.Data:
                    if (final is null)
                    {
                        throw new Http3ProtocolException(Http3ErrorCode.FrameUnexpected, "DATA before the response HEADERS");
                    }

                    ulong remaining = header.Length;
                    while (remaining > 0)
                    {
                        ReadOnlyMemory<byte> chunk = await reader.ReadPayloadChunkAsync(remaining, cancellationToken).ConfigureAwait(false);
                        remaining -= (ulong)chunk.Length;
                        content += chunk.Length;
                        if (content > length)
                        {
                            throw new InteropTransferException($"stream {stream.Id}: more than the {length} bytes asked for");
                        }

                        sink.Append(chunk.Span);
                    }

                    break;
                case var type when IsUnexpectedOnRequestStream(type):
                    throw new Http3ProtocolException(Http3ErrorCode.FrameUnexpected, $"frame type 0x{type:x} on a request stream");
                default:
                    await reader.SkipPayloadAsync(header.Length, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        if (final is null)
        {
            throw new InteropTransferException($"stream {stream.Id}: stream ended without a response");
        }

        if (final.Value.ContentLength is { } announced && announced != content)
        {
            throw new InteropTransferException($"stream {stream.Id}: content-length {announced} but {content} bytes");
        }

        if (content != length)
        {
            throw new InteropTransferException($"stream {stream.Id}: short read: {content} of {length}");
        }
    }

    /// <summary>Control-stream frames, PUSH_PROMISE (we never allow pushes) and HTTP/2-only types.</summary>
    internal static bool IsUnexpectedOnRequestStream(ulong type) =>
        type is Http3FrameType.Settings or Http3FrameType.GoAway or Http3FrameType.MaxPushId or Http3FrameType.CancelPush or Http3FrameType.PushPromise
        || Http3FrameType.IsHttp2Only(type);

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        var streams = new List<Task>();
        try
        {
            while (true)
            {
                InteropStream stream = await _connection.AcceptStreamAsync(cancellationToken).ConfigureAwait(false);
                if (stream.Type.Direction() == StreamDirection.Unidirectional)
                {
                    streams.Add(ServeInboundAsync(stream, cancellationToken));
                }
                else
                {
                    // A server must not open bidirectional streams (RFC 9114 section 6.1).
                    stream.Abort(InteropAbortDirection.Both, 0x0103);
                    await StreamDisposal.DisposeQuietlyAsync(stream).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            _log?.WriteLine($"h3: accept loop ended: {ex.Message}");
        }

        await Task.WhenAll(streams).ConfigureAwait(false);
    }

    private async Task ServeInboundAsync(InteropStream stream, CancellationToken cancellationToken)
    {
        // A stream cut short is left to the connection: disposing it could ask the peer to stop sending on
        // its control stream, which RFC 9114 section 6.2.1 forbids.
        if (await Control.ServeInboundAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            await StreamDisposal.DisposeQuietlyAsync(stream).ConfigureAwait(false);
        }
    }
}
