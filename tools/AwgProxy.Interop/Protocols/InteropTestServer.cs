using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Interop.Protocols;

/// <summary>
/// The server side of the interop-test protocol (ALPN <c>interop-test</c>), behaving like quicgo-peer's
/// <c>serveConn</c>/<c>serveStream</c>: one request per client-initiated bidirectional stream (see
/// <see cref="InteropTestRequest"/>), client unidirectional streams read and discarded.
/// </summary>
public sealed class InteropTestServer
{
    /// <summary>Size of the per-stream receive buffer (pooled).</summary>
    public const int BufferSize = 64 * 1024;

    private readonly TextWriter? _log;

    /// <param name="log">Where to write per-stream lines (the <c>-v</c> flag), or null.</param>
    public InteropTestServer(TextWriter? log = null)
    {
        _log = log;
    }

    /// <summary>Serves streams until the connection closes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task ServeConnectionAsync(IInteropConnection connection, CancellationToken cancellationToken)
    {
        var streams = new List<Task>();
        try
        {
            while (true)
            {
                InteropStream stream = await connection.AcceptStreamAsync(cancellationToken).ConfigureAwait(false);
                streams.RemoveAll(task => task.IsCompleted);
                streams.Add(stream.Type.Direction() == StreamDirection.Unidirectional
                    ? DiscardAsync(stream, cancellationToken)
                    : ServeStreamAsync(stream, cancellationToken));
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            _log?.WriteLine($"conn {connection.RemoteEndPoint} done: {ex.Message}");
        }

        await Task.WhenAll(streams).ConfigureAwait(false);
    }

    /// <summary>Answers the one request on <paramref name="stream"/>, then disposes it. Never throws.</summary>
    public async Task ServeStreamAsync(InteropStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await ServeRequestAsync(stream, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer reset the stream or the connection went away; abandon whatever is left.
            stream.Abort(InteropAbortDirection.Both, InteropTestErrorCode.NoError);
            _log?.WriteLine($"stream {stream.Id}: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await StreamDisposal.DisposeQuietlyAsync(stream).ConfigureAwait(false);
        }
    }

    private async Task ServeRequestAsync(InteropStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int filled = 0;
        InteropTestRequest request;
        int lineLength;
        while (true)
        {
            InteropTestRequestStatus status = InteropTestRequest.TryParse(buffer.AsSpan(0, filled), out request, out lineLength);
            if (status == InteropTestRequestStatus.Complete)
            {
                break;
            }

            int read = status == InteropTestRequestStatus.Invalid
                ? 0
                : await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                // A bad line, or FIN before the newline (Go's ReadString fails the same way).
                _log?.WriteLine($"stream {stream.Id}: rejected {Describe(buffer.AsSpan(0, filled))}");
                stream.Abort(InteropAbortDirection.Both, InteropTestErrorCode.Rejected);
                return;
            }

            filled += read;
        }

        _log?.WriteLine($"stream {stream.Id}: {Describe(buffer.AsSpan(0, lineLength))}");
        ReadOnlyMemory<byte> leftover = buffer.AsMemory(lineLength, filled - lineLength);
        switch (request.Kind)
        {
            case InteropTestRequestKind.Get:
                // Nothing else is needed from the client (quicgo-peer: CancelRead(0)).
                stream.Abort(InteropAbortDirection.Read, InteropTestErrorCode.NoError);
                await WritePatternAsync(stream, request.Length, cancellationToken).ConfigureAwait(false);
                stream.CompleteWrites();
                break;
            case InteropTestRequestKind.Put:
                long count = leftover.Length;
                int read;

                // With -v the server also reports the SHA-256 of what it received, so a test can check the upload.
                using (IncrementalHash? hash = _log is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    hash?.AppendData(leftover.Span);
                    while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        count += read;
                        hash?.AppendData(buffer, 0, read);
                    }

                    if (hash is not null)
                    {
                        _log!.WriteLine($"stream {stream.Id}: received bytes={count.ToString(CultureInfo.InvariantCulture)} sha256={Convert.ToHexStringLower(hash.GetHashAndReset())}");
                    }
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes($"OK {count.ToString(CultureInfo.InvariantCulture)}\n"), cancellationToken).ConfigureAwait(false);
                stream.CompleteWrites();
                break;
            case InteropTestRequestKind.Echo:
                if (!leftover.IsEmpty)
                {
                    // The leftover shares the buffer with the next read: send it first.
                    await stream.WriteAsync(leftover, cancellationToken).ConfigureAwait(false);
                }

                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                stream.CompleteWrites();
                break;
        }
    }

    /// <summary>Writes <paramref name="length"/> pattern bytes in chunks of up to one period, straight from the precomputed period.</summary>
    public static async Task WritePatternAsync(Stream stream, long length, CancellationToken cancellationToken)
    {
        long offset = 0;
        while (offset < length)
        {
            ReadOnlyMemory<byte> chunk = InteropPattern.Chunk(offset, length - offset);
            await stream.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            offset += chunk.Length;
        }
    }

    private static async Task DiscardAsync(InteropStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Nothing to report for a discarded stream.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await StreamDisposal.DisposeQuietlyAsync(stream).ConfigureAwait(false);
        }
    }

    /// <summary>The request line as printable text for logs (Go's %q, roughly).</summary>
    private static string Describe(ReadOnlySpan<byte> line)
    {
        var builder = new StringBuilder("\"");
        foreach (byte b in line[..Math.Min(line.Length, 80)])
        {
            builder.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'"' => "\\\"",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return builder.Append(line.Length > 80 ? "\"..." : "\"").ToString();
    }
}
