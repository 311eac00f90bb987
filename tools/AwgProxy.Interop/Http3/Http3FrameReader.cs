using System.Buffers;
using System.Runtime.CompilerServices;
using AwgProxy.Quic.Coding;

namespace AwgProxy.Interop.Http3;

/// <summary>
/// Reads HTTP/3 frames from a stream through one reusable buffer: frame headers, whole small payloads
/// (HEADERS, SETTINGS) and large payloads (DATA) chunk by chunk without copying them again. Memory returned
/// by a read stays valid until the next call. A stream that ends inside a frame is H3_FRAME_ERROR (RFC 9114
/// section 7.1).
/// </summary>
public sealed class Http3FrameReader : IDisposable
{
    /// <summary>Default buffer size; also the largest whole payload <see cref="ReadPayloadAsync"/> accepts.</summary>
    public const int DefaultBufferSize = 64 * 1024;

    /// <summary>Below this much free room at the end of the buffer, unread bytes move to the front before reading.</summary>
    private const int MinimumReadSize = 16 * 1024;

    private readonly Stream _stream;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;

    public Http3FrameReader(Stream stream, int bufferSize = DefaultBufferSize)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, Http3FrameHeader.MaxEncodedLength));
    }

    /// <summary>Octets read from the stream but not yet returned.</summary>
    public int Buffered => _end - _start;

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(Http3FrameReader));

    /// <summary>Reads the next frame header, or returns null if the stream ends cleanly before it.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Http3FrameHeader?> ReadFrameHeaderAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (Http3FrameHeader.TryRead(Buffer.AsSpan(_start, _end - _start), out Http3FrameHeader header, out int consumed))
            {
                _start += consumed;
                return header;
            }

            if (_endOfStream)
            {
                return _start == _end ? null : throw new Http3ProtocolException(Http3ErrorCode.FrameError, "stream ends inside a frame header");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one variable-length integer (a unidirectional stream's type); null if the stream ends first.</summary>
    public async ValueTask<ulong?> ReadVarIntAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (VarInt.TryRead(Buffer.AsSpan(_start, _end - _start), out ulong value, out int consumed))
            {
                _start += consumed;
                return value;
            }

            if (_endOfStream)
            {
                return null;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Returns the next 1 to <paramref name="remaining"/> payload octets, reading from the stream only when
    /// nothing is buffered.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>> ReadPayloadChunkAsync(ulong remaining, CancellationToken cancellationToken = default)
    {
        if (remaining == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        while (_start == _end)
        {
            if (_endOfStream)
            {
                throw new Http3ProtocolException(Http3ErrorCode.FrameError, "stream ends inside a frame payload");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        int length = (int)Math.Min((ulong)(_end - _start), remaining);
        ReadOnlyMemory<byte> chunk = Buffer.AsMemory(_start, length);
        _start += length;
        return chunk;
    }

    /// <summary>Returns a whole payload of <paramref name="length"/> octets, which must fit the buffer.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadPayloadAsync(ulong length, CancellationToken cancellationToken = default)
    {
        if (length > (ulong)Buffer.Length)
        {
            throw new Http3ProtocolException(Http3ErrorCode.ExcessiveLoad, $"frame payload of {length} bytes is larger than this endpoint accepts");
        }

        while ((ulong)(_end - _start) < length)
        {
            if (_endOfStream)
            {
                throw new Http3ProtocolException(Http3ErrorCode.FrameError, "stream ends inside a frame payload");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        ReadOnlyMemory<byte> payload = Buffer.AsMemory(_start, (int)length);
        _start += (int)length;
        return payload;
    }

    /// <summary>Discards a payload of <paramref name="length"/> octets.</summary>
    public async ValueTask SkipPayloadAsync(ulong length, CancellationToken cancellationToken = default)
    {
        while (length > 0)
        {
            ReadOnlyMemory<byte> chunk = await ReadPayloadChunkAsync(length, cancellationToken).ConfigureAwait(false);
            length -= (ulong)chunk.Length;
        }
    }

    /// <summary>Reads and discards everything up to the end of the stream.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken = default)
    {
        _start = _end = 0;
        while (!_endOfStream)
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
            _start = _end = 0;
        }
    }

    public void Dispose()
    {
        byte[]? buffer = _buffer;
        _buffer = null;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Pooled: a transfer suspends here once per network read, and should not allocate each time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = Buffer;
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0 && buffer.Length - _end < Math.Min(MinimumReadSize, buffer.Length / 2))
        {
            // Keep reads large: move the unread tail (usually a few header bytes) to the front.
            Array.Copy(buffer, _start, buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == buffer.Length)
        {
            throw new InvalidOperationException("Frame reader buffer is full.");
        }

        int read = await _stream.ReadAsync(buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _endOfStream = true;
        }
        else
        {
            _end += read;
        }
    }
}
