using System.Buffers;
using System.Globalization;
using System.Text;
using AwgProxy.Interop.Cli;
using AwgProxy.Interop.Transport;

namespace AwgProxy.Interop.Protocols;

/// <summary>
/// The client side of the interop-test protocol, one request per stream, like quicgo-peer's
/// <c>doStream</c>:
/// <list type="bullet">
/// <item>get: <c>GET n\n</c>, FIN, then read n bytes to FIN; the digest covers the bytes received;</item>
/// <item>put: <c>PUT\n</c>, n pattern bytes, FIN, then expect <c>OK n\n</c>; the digest covers the bytes sent;</item>
/// <item>echo: <c>ECHO\n</c>, n pattern bytes and FIN while reading the echo to FIN; the digest covers the
/// bytes received.</item>
/// </list>
/// </summary>
public static class InteropTestClient
{
    /// <summary>Size of the per-stream receive buffer (pooled).</summary>
    public const int BufferSize = 64 * 1024;

    /// <summary>
    /// Runs one <paramref name="mode"/> transfer of <paramref name="length"/> payload bytes on a new stream,
    /// feeding the payload to <paramref name="sink"/>. Throws <see cref="InteropTransferException"/> with the
    /// reason when the transfer fails.
    /// </summary>
    public static async Task RunStreamAsync(IInteropConnection connection, ClientMode mode, long length, PayloadSink sink, CancellationToken cancellationToken)
    {
        InteropStream stream = await connection.OpenBidirectionalStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            Task transfer = mode switch
            {
                ClientMode.Get => GetAsync(stream, length, sink, buffer, cancellationToken),
                ClientMode.Put => PutAsync(stream, length, sink, buffer, cancellationToken),
                ClientMode.Echo => EchoAsync(stream, length, sink, buffer, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "No stream transfer for this mode."),
            };
            await transfer.ConfigureAwait(false);
        }
        catch (InteropStreamAbortedException ex)
        {
            stream.Abort(InteropAbortDirection.Both, InteropTestErrorCode.NoError);
            throw new InteropTransferException($"stream {stream.Id}: aborted by the peer with code 0x{ex.ErrorCode:x}", ex);
        }
        catch (InteropTransferException)
        {
            stream.Abort(InteropAbortDirection.Both, InteropTestErrorCode.NoError);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await StreamDisposal.DisposeQuietlyAsync(stream).ConfigureAwait(false);
        }
    }

    private static async Task GetAsync(InteropStream stream, long length, PayloadSink sink, byte[] buffer, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {length.ToString(CultureInfo.InvariantCulture)}\n"), cancellationToken).ConfigureAwait(false);
        stream.CompleteWrites();
        long received = await ReadToEndAsync(stream, length, sink, buffer, cancellationToken).ConfigureAwait(false);
        if (received != length)
        {
            throw new InteropTransferException($"stream {stream.Id}: short read: {received} of {length}");
        }
    }

    private static async Task PutAsync(InteropStream stream, long length, PayloadSink sink, byte[] buffer, CancellationToken cancellationToken)
    {
        await stream.WriteAsync("PUT\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await WritePatternAsync(stream, length, sink, cancellationToken).ConfigureAwait(false);
        stream.CompleteWrites();

        // The answer is a short line; anything longer than a buffer is wrong anyway.
        int filled = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(filled, Math.Min(256, buffer.Length) - filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
            if (filled == 256)
            {
                throw new InteropTransferException($"stream {stream.Id}: PUT answer longer than 256 bytes");
            }
        }

        string answer = Encoding.ASCII.GetString(buffer, 0, filled);
        string expected = $"OK {length.ToString(CultureInfo.InvariantCulture)}";
        if (answer.Trim() != expected)
        {
            throw new InteropTransferException($"stream {stream.Id}: unexpected PUT answer \"{answer.Trim()}\", expected \"{expected}\"");
        }
    }

    private static async Task EchoAsync(InteropStream stream, long length, PayloadSink sink, byte[] buffer, CancellationToken cancellationToken)
    {
        await stream.WriteAsync("ECHO\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        Task writer = WriteAndCompleteAsync(stream, length, cancellationToken);
        long received;
        try
        {
            received = await ReadToEndAsync(stream, length, sink, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Unblock the writer before waiting for it; its own failure is secondary.
            stream.Abort(InteropAbortDirection.Both, InteropTestErrorCode.NoError);
            await writer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        await writer.ConfigureAwait(false);
        if (received != length)
        {
            throw new InteropTransferException($"stream {stream.Id}: short echo: {received} of {length}");
        }
    }

    private static async Task WriteAndCompleteAsync(InteropStream stream, long length, CancellationToken cancellationToken)
    {
        await WritePatternAsync(stream, length, sink: null, cancellationToken).ConfigureAwait(false);
        stream.CompleteWrites();
    }

    /// <summary>Writes <paramref name="length"/> pattern bytes; the sink (if any) sees exactly what was written.</summary>
    private static async Task WritePatternAsync(InteropStream stream, long length, PayloadSink? sink, CancellationToken cancellationToken)
    {
        long offset = 0;
        while (offset < length)
        {
            ReadOnlyMemory<byte> chunk = InteropPattern.Chunk(offset, length - offset);
            sink?.Append(chunk.Span);
            await stream.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            offset += chunk.Length;
        }
    }

    /// <summary>Reads to FIN into <paramref name="sink"/>; fails as soon as more than <paramref name="expected"/> bytes arrive.</summary>
    private static async Task<long> ReadToEndAsync(InteropStream stream, long expected, PayloadSink sink, byte[] buffer, CancellationToken cancellationToken)
    {
        long received = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            received += read;
            if (received > expected)
            {
                throw new InteropTransferException($"stream {stream.Id}: more than the {expected} bytes asked for");
            }

            sink.Append(buffer.AsSpan(0, read));
        }

        return received;
    }
}
