using System.Globalization;
using System.Text;
using AwgProxy.Interop.Http3.Qpack;
using AwgProxy.Interop.Protocols;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Interop.Http3;

/// <summary>
/// The HTTP/3 server of the interop endpoint (ALPN <c>h3</c>), enough for ngtcp2's gtlsclient and
/// quic-go's http3 client: <c>GET /&lt;n&gt;</c> (or HEAD) is answered with <c>:status 200</c>, a
/// content-length and n bytes of <see cref="InteropPattern"/> (ngtcp2's own server sends n zero bytes; the
/// pattern is what quicgo-peer's h3server sends); other paths get 404, other methods 405.
/// <code>
/// HEADERS  01 len | 00 00 | d9 (:status 200) | 54 len digits (content-length)
/// DATA     00 len | payload    (64 KiB per frame)
/// FIN
/// </code>
/// </summary>
public sealed class Http3Server
{
    /// <summary>Content per DATA frame: one pattern period, so every full frame is the same bytes.</summary>
    public const int DataFramePayload = InteropPattern.Period;

    private static readonly byte[] s_fullDataFrame = CreateFullDataFrame();

    private readonly TextWriter? _log;

    public Http3Server(TextWriter? log = null)
    {
        _log = log;
    }

    /// <summary>Serves one connection until it closes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task ServeConnectionAsync(IInteropConnection connection, CancellationToken cancellationToken)
    {
        var control = new Http3ControlStreams(_log);
        var streams = new List<Task>();
        try
        {
            await control.OpenAsync(connection, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                InteropStream stream = await connection.AcceptStreamAsync(cancellationToken).ConfigureAwait(false);
                streams.RemoveAll(task => task.IsCompleted);
                streams.Add(stream.Type.Direction() == StreamDirection.Unidirectional
                    ? ServeInboundAsync(control, stream, cancellationToken)
                    : ServeRequestStreamAsync(connection, stream, cancellationToken));
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            _log?.WriteLine($"conn {connection.RemoteEndPoint} done: {ex.Message}");
        }

        await Task.WhenAll(streams).ConfigureAwait(false);
    }

    /// <summary>Answers the request on one client-initiated bidirectional stream. Never throws.</summary>
    public async Task ServeRequestStreamAsync(IInteropConnection connection, InteropStream stream, CancellationToken cancellationToken)
    {
        try
        {
            using var reader = new Http3FrameReader(stream, 16 * 1024);
            Http3RequestHead request = await ReadRequestHeadAsync(stream, reader, cancellationToken).ConfigureAwait(false);
            _log?.WriteLine($"stream {stream.Id}: {request.Method} {request.Path}");
            await RespondAsync(stream, request, cancellationToken).ConfigureAwait(false);
            stream.CompleteWrites();

            // Read the rest of the request (normally just its FIN) so the stream can close completely.
            await reader.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Http3ProtocolException ex)
        {
            _log?.WriteLine($"stream {stream.Id}: {ex.Message} (error 0x{ex.ErrorCode:x})");
            stream.Abort(InteropAbortDirection.Both, ex.ErrorCode);
            if (ex.ErrorCode == Http3ErrorCode.QpackDecompressionFailed)
            {
                // A QPACK failure is a connection error (RFC 9204 section 2.2).
                await CloseQuietlyAsync(connection, ex.ErrorCode).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            _log?.WriteLine($"stream {stream.Id}: {ex.Message}");
            stream.Abort(InteropAbortDirection.Both, Http3ErrorCode.RequestCancelled);
        }
        finally
        {
            await StreamDisposal.DisposeQuietlyAsync(stream).ConfigureAwait(false);
        }
    }

    private static async Task<Http3RequestHead> ReadRequestHeadAsync(InteropStream stream, Http3FrameReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadFrameHeaderAsync(cancellationToken).ConfigureAwait(false) is { } header)
        {
            switch (header.Type)
            {
                case Http3FrameType.Headers:
                    ReadOnlyMemory<byte> section = await reader.ReadPayloadAsync(header.Length, cancellationToken).ConfigureAwait(false);
                    if (!Http3RequestHead.TryDecode(section.Span, out Http3RequestHead? head, out long code, out string? error))
                    {
                        throw new Http3ProtocolException(code, error ?? "bad request HEADERS");
                    }

                    return head!;
                case Http3FrameType.Data:
                    throw new Http3ProtocolException(Http3ErrorCode.FrameUnexpected, "DATA before the request HEADERS");
                case var type when Http3Client.IsUnexpectedOnRequestStream(type):
                    throw new Http3ProtocolException(Http3ErrorCode.FrameUnexpected, $"frame type 0x{type:x} on a request stream");
                default:
                    await reader.SkipPayloadAsync(header.Length, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        throw new Http3ProtocolException(Http3ErrorCode.RequestIncomplete, $"stream {stream.Id} ended before the request HEADERS");
    }

    private static async Task RespondAsync(InteropStream stream, Http3RequestHead request, CancellationToken cancellationToken)
    {
        bool head = request.Method == "HEAD";
        if (request.Method != "GET" && !head)
        {
            await stream.WriteAsync(BuildResponseHeaders(405, null), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!TryParseLength(request.Path, out long length))
        {
            await stream.WriteAsync(BuildResponseHeaders(404, null), cancellationToken).ConfigureAwait(false);
            return;
        }

        await stream.WriteAsync(BuildResponseHeaders(200, length), cancellationToken).ConfigureAwait(false);
        if (!head)
        {
            await WriteContentAsync(stream, length, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>DATA frames carrying <paramref name="length"/> pattern bytes, 64 KiB per frame.</summary>
    public static async Task WriteContentAsync(Stream stream, long length, CancellationToken cancellationToken)
    {
        long remaining = length;
        while (remaining >= DataFramePayload)
        {
            await stream.WriteAsync(s_fullDataFrame, cancellationToken).ConfigureAwait(false);
            remaining -= DataFramePayload;
        }

        if (remaining > 0)
        {
            var header = new Http3FrameHeader(Http3FrameType.Data, (ulong)remaining);
            byte[] headerBytes = new byte[header.EncodedLength];
            header.Write(headerBytes);
            await stream.WriteAsync(headerBytes, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(InteropPattern.Chunk(0, remaining), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A HEADERS frame with :status (and content-length when given).</summary>
    public static byte[] BuildResponseHeaders(int status, long? contentLength)
    {
        Span<byte> section = stackalloc byte[64];
        var writer = new QpackFieldSectionWriter(section);
        switch (status)
        {
            case 200:
                writer.WriteIndexed(QpackStaticTable.Status200);
                break;
            case 404:
                writer.WriteIndexed(QpackStaticTable.Status404);
                break;
            default:
                // Any :status entry names the field; the value is a literal.
                writer.WriteLiteralWithNameReference(QpackStaticTable.Status200, Encoding.ASCII.GetBytes(status.ToString(CultureInfo.InvariantCulture)));
                break;
        }

        if (contentLength is { } length)
        {
            writer.WriteLiteralWithNameReference(QpackStaticTable.ContentLength, Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture)));
        }

        var header = new Http3FrameHeader(Http3FrameType.Headers, (ulong)writer.Length);
        byte[] frame = new byte[header.EncodedLength + writer.Length];
        int offset = header.Write(frame);
        writer.Written.CopyTo(frame.AsSpan(offset));
        return frame;
    }

    /// <summary>
    /// <c>/&lt;digits&gt;</c> → the number, as ngtcp2's server reads dynamic paths (digits only, no sign, at
    /// most 2^62-1 here).
    /// </summary>
    public static bool TryParseLength(string path, out long length)
    {
        length = 0;
        if (path.Length < 2 || path[0] != '/')
        {
            return false;
        }

        for (int i = 1; i < path.Length; i++)
        {
            char c = path[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            int digit = c - '0';
            if (length > (((1L << 62) - 1) - digit) / 10)
            {
                return false;
            }

            length = length * 10 + digit;
        }

        return true;
    }

    private static async Task ServeInboundAsync(Http3ControlStreams control, InteropStream stream, CancellationToken cancellationToken)
    {
        if (await control.ServeInboundAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            await StreamDisposal.DisposeQuietlyAsync(stream).ConfigureAwait(false);
        }
    }

    private static async Task CloseQuietlyAsync(IInteropConnection connection, long errorCode)
    {
        try
        {
            await connection.CloseAsync(errorCode).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Already closed.
        }
    }

    private static byte[] CreateFullDataFrame()
    {
        var header = new Http3FrameHeader(Http3FrameType.Data, DataFramePayload);
        byte[] frame = new byte[header.EncodedLength + DataFramePayload];
        int offset = header.Write(frame);
        InteropPattern.OnePeriod.Span.CopyTo(frame.AsSpan(offset));
        return frame;
    }
}
